package dev.runnel.deploy.team.application;

import dev.runnel.deploy.team.domain.Team;
import reactor.core.publisher.Mono;

/** The team's namespace and the objects in it that Runnel owns, on one cluster. */
public interface TeamNamespaceGateway {
  /** Server-side applies the namespace, role bindings, quota, limits and network policies. */
  Mono<Void> apply(String cluster, Team team);

  /** Deletes the team's namespace (and with it everything in it); done when it is gone. */
  Mono<Void> remove(String cluster, Team team);
}
