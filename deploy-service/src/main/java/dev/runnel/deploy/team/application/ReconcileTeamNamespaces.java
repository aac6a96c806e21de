package dev.runnel.deploy.team.application;

import dev.runnel.deploy.team.domain.NamespaceStatus;
import dev.runnel.deploy.team.domain.Team;
import dev.runnel.kit.problem.Problem;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Brings every team's namespace up to date on every registered cluster. A pass takes the pairs that
 * are behind (new team, changed quota, deleted team, new or refreshed cluster, failure due for a
 * retry), applies or removes them, and stores how it went with its event in one transaction. One
 * cluster failing only marks that cluster's pairs for a retry; the change is kept in the projection
 * and applied once the cluster answers.
 */
@Service
public class ReconcileTeamNamespaces {
  private static final Logger log = LoggerFactory.getLogger(ReconcileTeamNamespaces.class);
  private static final int CONCURRENT_PAIRS = 4;

  private final TeamProjection projection;
  private final TeamNamespaceGateway gateway;
  private final TeamNamespaceEvents events;
  private final TeamInstances instances;
  private final TransactionalOperator tx;
  private final Clock clock;
  private final TeamNamespaceProperties settings;

  public ReconcileTeamNamespaces(
      TeamProjection projection,
      TeamNamespaceGateway gateway,
      TeamNamespaceEvents events,
      TeamInstances instances,
      TransactionalOperator tx,
      Clock clock,
      TeamNamespaceProperties settings) {
    this.projection = projection;
    this.gateway = gateway;
    this.events = events;
    this.instances = instances;
    this.tx = tx;
    this.clock = clock;
    this.settings = settings;
  }

  /** One pass; answers how many pairs it handled. */
  public Mono<Long> pass() {
    return projection
        .pending(clock.instant(), settings.maxPerPass())
        .collectList()
        .flatMapMany(Flux::fromIterable)
        .flatMap(this::reconcile, CONCURRENT_PAIRS)
        .count();
  }

  private Mono<Void> reconcile(TeamProjection.Pending p) {
    Team team = p.team();
    Mono<Void> work =
        team.deleted() ? removeWhenEmpty(p.cluster(), team) : gateway.apply(p.cluster(), team);
    return work.then(Mono.defer(() -> succeeded(p)))
        .onErrorResume(e -> failed(p, e))
        .onErrorResume(
            e -> {
              // The status itself could not be stored (database away): the pair stays pending and
              // the next pass takes it again.
              log.warn(
                  "namespace of team {} on cluster {}: status not stored: {}",
                  team.name(),
                  p.cluster(),
                  e.toString());
              return Mono.empty();
            });
  }

  /**
   * identity-service refuses to delete a team that still has instances, but instances of the team
   * may still be on their way out here: the namespace goes only once none is left on the cluster.
   */
  private Mono<Void> removeWhenEmpty(String cluster, Team team) {
    return instances
        .countOn(team.name(), cluster)
        .flatMap(
            n ->
                n > 0
                    ? Mono.error(
                        Problem.conflict(
                            "team '"
                                + team.name()
                                + "' still has "
                                + n
                                + (n == 1 ? " instance" : " instances")
                                + " on this cluster; its namespace is removed once they are"
                                + " deleted"))
                    : gateway.remove(cluster, team));
  }

  private Mono<Void> succeeded(TeamProjection.Pending p) {
    NamespaceStatus status = NamespaceStatus.succeeded(p.team(), p.cluster(), clock.instant());
    log.info(
        "namespace of team {} {} on cluster {} (version {})",
        p.team().name(),
        p.team().deleted() ? "removed" : "applied",
        p.cluster(),
        p.team().version());
    return projection
        .saveStatus(status)
        .then(events.reconciled(p.team(), status))
        .as(tx::transactional);
  }

  private Mono<Void> failed(TeamProjection.Pending p, Throwable e) {
    NamespaceStatus status =
        NamespaceStatus.failed(
            p.previous(),
            p.team(),
            p.cluster(),
            reason(e),
            clock.instant(),
            settings.firstRetryPause(),
            settings.longestRetryPause());
    log.warn(
        "namespace of team {} on cluster {} failed (attempt {}, next at {}): {}",
        p.team().name(),
        p.cluster(),
        status.attempts(),
        status.nextAttemptAt(),
        status.error());
    Mono<Void> save = projection.saveStatus(status);
    if (status.firstFailure()) {
      save = save.then(events.failed(p.team(), status));
    }
    return save.as(tx::transactional);
  }

  private static String reason(Throwable e) {
    String text =
        e instanceof Problem p && p.getBody().getDetail() != null
            ? p.getBody().getDetail()
            : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return text.length() > 1000 ? text.substring(0, 1000) : text;
  }
}
