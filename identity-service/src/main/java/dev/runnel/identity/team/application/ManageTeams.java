package dev.runnel.identity.team.application;

import dev.runnel.identity.team.domain.Team;
import dev.runnel.identity.team.domain.TeamInUseException;
import dev.runnel.identity.team.domain.TeamRules;
import dev.runnel.kit.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Creates, renames, deletes and lists teams. Each change, its event and the request to mirror it to
 * Keycloak are stored in one transaction; the push to Keycloak follows ({@link KeycloakTeamSync}).
 * Authorisation happens at the edge.
 */
@Service
public class ManageTeams {
  public static final int MAX_PAGE = 200;
  private static final Logger log = LoggerFactory.getLogger(ManageTeams.class);

  private final Teams teams;
  private final TeamEvents events;
  private final KeycloakTeamSync sync;
  private final TransactionalOperator tx;
  private final Clock clock;

  public ManageTeams(
      Teams teams,
      TeamEvents events,
      KeycloakTeamSync sync,
      TransactionalOperator tx,
      Clock clock) {
    this.teams = teams;
    this.events = events;
    this.sync = sync;
    this.tx = tx;
    this.clock = clock;
  }

  public Mono<Team> get(String name) {
    return teams.find(name).switchIfEmpty(Mono.error(() -> Problem.notFound("Team", name)));
  }

  /** A page of teams; only {@code visible} ones when not null (a caller's own teams). */
  public Mono<TeamPage> list(String cursor, int limit, Collection<String> visible) {
    if (limit < 1 || limit > MAX_PAGE) {
      return Mono.error(Problem.invalid("limit", "must be between 1 and " + MAX_PAGE));
    }
    String after = null;
    if (cursor != null && !cursor.isEmpty()) {
      after = decode(cursor);
      if (after == null) {
        return Mono.error(Problem.invalid("cursor", "is not a cursor this API returned"));
      }
    }
    return teams
        .page(after, limit + 1, visible)
        .collectList()
        .map(
            rows ->
                rows.size() <= limit
                    ? new TeamPage(rows, null)
                    : new TeamPage(rows.subList(0, limit), encode(rows.get(limit - 1).name())));
  }

  public Mono<Team> create(String name, String displayName, String actor) {
    return Validation.validated(() -> Team.create(name, displayName, clock.instant()))
        .flatMap(
            change ->
                teams
                    .find(change.team().name())
                    .flatMap(existing -> Mono.<Void>error(duplicate(existing.name())))
                    .then(teams.insert(change.team()))
                    .then(events.record(change.event(), actor))
                    .then(teams.requestSync(change.team().name(), clock.instant()))
                    .as(tx::transactional)
                    .onErrorMap(DuplicateKeyException.class, e -> duplicate(name))
                    .then(sync.pushQuietly(change.team().name()))
                    .thenReturn(change.team()))
        .doOnNext(t -> log.info("team '{}' created by {}", t.name(), actor));
  }

  public Mono<Team> rename(String name, String displayName, String actor) {
    return get(name)
        .flatMap(
            current ->
                Validation.validated(() -> current.rename(displayName, clock.instant()))
                    .flatMap(
                        change ->
                            change.event() == null
                                ? Mono.just(current)
                                : teams
                                    .update(change.team(), current.version())
                                    .flatMap(
                                        stored ->
                                            stored
                                                ? events.record(change.event(), actor)
                                                : Mono.error(
                                                    Problem.conflict(
                                                        "Team '"
                                                            + name
                                                            + "' was changed by someone else;"
                                                            + " reload and retry")))
                                    .thenReturn(change.team())))
        .as(tx::transactional);
  }

  /** Refused (409, with the count) while the team still has instances. */
  public Mono<Void> delete(String name, String actor) {
    return get(name)
        .flatMap(
            current ->
                teams
                    .instanceCount(name)
                    .flatMap(
                        count -> {
                          try {
                            return Mono.just(current.delete(count, clock.instant()));
                          } catch (TeamInUseException e) {
                            return Mono.error(Problem.conflict(e.getMessage()));
                          }
                        })
                    .flatMap(
                        deleted ->
                            teams
                                .delete(name)
                                .then(events.record(deleted, actor))
                                .then(teams.requestSync(name, clock.instant()))))
        .as(tx::transactional)
        .then(sync.pushQuietly(name))
        .doOnSuccess(v -> log.info("team '{}' deleted by {}", name, actor))
        .then();
  }

  private static Problem duplicate(String name) {
    return Problem.conflict("A team named '" + name + "' already exists");
  }

  private static String encode(String name) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(name.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor) {
    try {
      String name = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      return TeamRules.name(name);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
