package dev.runnel.identity.team.application;

import dev.runnel.identity.team.domain.Member;
import dev.runnel.identity.team.domain.TeamRules;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Pushes team membership from the database to Keycloak's groups.
 *
 * <p>The order is: database and outbox first, in one transaction, together with a row in {@code
 * team_keycloak_sync}; then a push to Keycloak right after the commit; the row is removed when a
 * push that started after it succeeded. When Keycloak is down or the service crashes in between,
 * the row stays and the reconciler pushes again every {@code interval}, so the two never diverge
 * for good. A push makes Keycloak equal to the database (adds and removes), so repeating it is
 * harmless.
 */
@Service
public class KeycloakTeamSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeycloakTeamSync.class);

  private final Teams teams;
  private final TeamGroups groups;
  private final TeamSubjects subjects;
  private final SyncProperties properties;
  private volatile Disposable reconciler;

  public KeycloakTeamSync(
      Teams teams, TeamGroups groups, TeamSubjects subjects, SyncProperties properties) {
    this.teams = teams;
    this.groups = groups;
    this.subjects = subjects;
    this.properties = properties;
  }

  /** Pushes the team now; a failure is logged and left to the reconciler. */
  public Mono<Boolean> pushQuietly(String team) {
    return push(team)
        .thenReturn(true)
        .onErrorResume(
            e -> {
              log.warn(
                  "team '{}' not yet mirrored to Keycloak ({}); the reconciler retries",
                  team,
                  e.getMessage());
              return Mono.just(false);
            });
  }

  /** Makes Keycloak match the database for the team, if a push is pending. */
  public Mono<Void> push(String team) {
    return teams.syncToken(team).flatMap(token -> mirror(team).then(teams.syncDone(team, token)));
  }

  private Mono<Void> mirror(String team) {
    return teams
        .find(team)
        .flatMap(
            found ->
                teams
                    .members(team)
                    .collectList()
                    .zipWith(subjects.serviceAccounts(team))
                    .flatMap(
                        t -> {
                          Map<String, Set<String>> byRole = new HashMap<>();
                          TeamRules.ROLES.forEach(r -> byRole.put(r, new HashSet<>()));
                          for (Member m : t.getT1()) {
                            byRole.get(m.role()).add(m.userId());
                          }
                          t.getT2().forEach((role, ids) -> byRole.get(role).addAll(ids));
                          return groups.apply(team, byRole);
                        })
                    .thenReturn(true))
        .switchIfEmpty(
            Mono.defer(() -> subjects.removeAll(team).then(groups.remove(team)).thenReturn(true)))
        .then();
  }

  /** One reconciler round over every team with a pending push. */
  public Mono<Long> reconcile() {
    return teams.pendingSyncs(100).concatMap(team -> pushQuietly(team).filter(ok -> ok)).count();
  }

  @EventListener(ApplicationReadyEvent.class)
  void start() {
    if (properties.interval().isZero() || properties.interval().isNegative()) {
      return;
    }
    reconciler =
        Flux.interval(properties.interval(), properties.interval())
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    reconcile()
                        .onErrorResume(
                            e -> {
                              log.warn("Keycloak reconciler round failed: {}", e.toString());
                              return Mono.just(0L);
                            }),
                1)
            .subscribe(
                n -> {
                  if (n > 0) {
                    log.info("reconciler pushed {} team(s) to Keycloak", n);
                  }
                });
  }

  @Override
  public void close() {
    Disposable d = reconciler;
    if (d != null) {
      d.dispose();
    }
  }
}
