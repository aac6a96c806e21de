package dev.runnel.identity.team.application;

import dev.runnel.identity.team.domain.Quota;
import dev.runnel.identity.team.domain.TeamEvent;
import dev.runnel.kit.problem.Problem;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** A team's quota: read it; replace it with its event in one transaction. */
@Service
public class TeamQuotas {
  private final Teams teams;
  private final TeamEvents events;
  private final TransactionalOperator tx;
  private final Clock clock;

  public TeamQuotas(Teams teams, TeamEvents events, TransactionalOperator tx, Clock clock) {
    this.teams = teams;
    this.events = events;
    this.tx = tx;
    this.clock = clock;
  }

  /** The quota; all fields null (no limits) when none was ever set. */
  public Mono<Quota> get(String team) {
    return teams
        .find(team)
        .switchIfEmpty(Mono.error(() -> Problem.notFound("Team", team)))
        .flatMap(t -> teams.quota(team).defaultIfEmpty(Quota.unlimited(team)));
  }

  public Mono<Quota> put(
      String team, String cpu, String memory, String storage, Integer instances, String actor) {
    return Validation.validated(() -> new Quota(team, cpu, memory, storage, instances))
        .flatMap(
            quota ->
                get(team)
                    .flatMap(
                        current ->
                            current.equals(quota)
                                ? Mono.just(current)
                                : teams
                                    .saveQuota(quota, clock.instant())
                                    .then(
                                        events.record(
                                            new TeamEvent.QuotaUpdated(
                                                UUID.randomUUID(), clock.instant(), quota),
                                            actor))
                                    .thenReturn(quota))
                    .as(tx::transactional));
  }
}
