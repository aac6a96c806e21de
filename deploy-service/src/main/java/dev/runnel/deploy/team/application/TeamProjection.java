package dev.runnel.deploy.team.application;

import dev.runnel.deploy.team.domain.NamespaceStatus;
import dev.runnel.deploy.team.domain.Team;
import java.time.Instant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The teams as deploy-service knows them, and their namespaces' state per cluster. */
public interface TeamProjection {
  Mono<Team> find(String name);

  /** Inserts or replaces the team, with the event that made it so. */
  Mono<Void> save(Team team, String eventId, String eventType, Instant eventTime);

  /**
   * Team × cluster pairs whose namespace is behind: never applied, an older version applied, a
   * failure due for retry, or the cluster registered or refreshed since; oldest first.
   */
  Flux<Pending> pending(Instant now, int limit);

  Mono<Void> saveStatus(NamespaceStatus status);

  /** The team's namespace on each registered cluster it was attempted on. */
  Flux<NamespaceStatus> statuses(String team);

  /**
   * @param previous the status on the cluster so far; null when never attempted there
   */
  record Pending(Team team, String cluster, NamespaceStatus previous) {}
}
