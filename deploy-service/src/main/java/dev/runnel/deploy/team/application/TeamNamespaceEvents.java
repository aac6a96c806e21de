package dev.runnel.deploy.team.application;

import dev.runnel.deploy.team.domain.NamespaceStatus;
import dev.runnel.deploy.team.domain.Team;
import reactor.core.publisher.Mono;

/** Records namespace events in the outbox, in the transaction of the status they report. */
public interface TeamNamespaceEvents {
  Mono<Void> reconciled(Team team, NamespaceStatus status);

  Mono<Void> failed(Team team, NamespaceStatus status);
}
