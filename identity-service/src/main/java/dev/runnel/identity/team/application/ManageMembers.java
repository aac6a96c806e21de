package dev.runnel.identity.team.application;

import dev.runnel.identity.team.domain.Member;
import dev.runnel.identity.team.domain.TeamEvent;
import dev.runnel.identity.team.domain.TeamRules;
import dev.runnel.identity.user.application.TeamMemberships;
import dev.runnel.identity.user.application.UserDirectory;
import dev.runnel.kit.problem.Problem;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Team members: add an existing user with a team role, change the role, remove, leave, list. Each
 * change, its event and the Keycloak push request are one transaction; the push follows. Team scope
 * and roles are checked at the edge.
 */
@Service
public class ManageMembers implements TeamMemberships {
  private static final Logger log = LoggerFactory.getLogger(ManageMembers.class);

  private final Teams teams;
  private final TeamEvents events;
  private final UserDirectory users;
  private final KeycloakTeamSync sync;
  private final TransactionalOperator tx;
  private final Clock clock;

  public ManageMembers(
      Teams teams,
      TeamEvents events,
      UserDirectory users,
      KeycloakTeamSync sync,
      TransactionalOperator tx,
      Clock clock) {
    this.teams = teams;
    this.events = events;
    this.users = users;
    this.sync = sync;
    this.tx = tx;
    this.clock = clock;
  }

  public Mono<List<Member>> list(String team) {
    return existing(team).thenMany(teams.members(team)).collectList();
  }

  public Mono<Member> add(String team, String username, String role, String actor) {
    return Validation.validated(() -> TeamRules.role("role", role))
        .flatMap(
            r ->
                username == null || username.isBlank()
                    ? Mono.error(Problem.invalid("username", "must not be blank"))
                    : existing(team)
                        .then(
                            users
                                .findByUsername(username.strip().toLowerCase(java.util.Locale.ROOT))
                                .switchIfEmpty(
                                    Mono.error(
                                        () ->
                                            Problem.invalid(
                                                "username",
                                                "there is no user named '"
                                                    + username.strip()
                                                    + "'; create the user first"))))
                        .flatMap(
                            user -> {
                              Member member =
                                  new Member(team, user.id(), user.username(), r, clock.instant());
                              return teams
                                  .member(team, user.id())
                                  .flatMap(m -> Mono.<Void>error(alreadyMember(m)))
                                  .then(teams.insertMember(member))
                                  .then(
                                      events.record(
                                          new TeamEvent.MemberAdded(
                                              UUID.randomUUID(), clock.instant(), member),
                                          actor))
                                  .then(teams.requestSync(team, clock.instant()))
                                  .as(tx::transactional)
                                  .onErrorMap(
                                      DuplicateKeyException.class,
                                      e ->
                                          Problem.conflict(
                                              "'"
                                                  + member.username()
                                                  + "' is already a member of team '"
                                                  + team
                                                  + "'"))
                                  .then(sync.pushQuietly(team))
                                  .thenReturn(member);
                            }))
        .doOnNext(
            m ->
                log.info(
                    "'{}' added to team '{}' as {} by {}", m.username(), team, m.role(), actor));
  }

  public Mono<Member> changeRole(String team, String username, String role, String actor) {
    return Validation.validated(() -> TeamRules.role("role", role))
        .flatMap(
            r ->
                member(team, username)
                    .flatMap(
                        current -> {
                          if (current.role().equals(r)) {
                            return Mono.just(current);
                          }
                          Member changed = current.withRole(r);
                          return teams
                              .updateMemberRole(changed)
                              .then(
                                  events.record(
                                      new TeamEvent.MemberRoleChanged(
                                          UUID.randomUUID(),
                                          clock.instant(),
                                          changed,
                                          current.role()),
                                      actor))
                              .then(teams.requestSync(team, clock.instant()))
                              .as(tx::transactional)
                              .then(sync.pushQuietly(team))
                              .thenReturn(changed);
                        }));
  }

  /** {@code reason}: {@code removed} by an admin or {@code left} by the member. */
  public Mono<Void> remove(String team, String username, String reason, String actor) {
    return member(team, username)
        .flatMap(
            current ->
                removeInTransaction(current, reason, actor)
                    .as(tx::transactional)
                    .then(sync.pushQuietly(team)))
        .doOnSuccess(v -> log.info("'{}' {} team '{}' ({})", username, reason, team, actor))
        .then();
  }

  private Mono<Void> removeInTransaction(Member member, String reason, String actor) {
    return teams
        .deleteMember(member.team(), member.userId())
        .then(
            events.record(
                new TeamEvent.MemberRemoved(UUID.randomUUID(), clock.instant(), member, reason),
                actor))
        .then(teams.requestSync(member.team(), clock.instant()));
  }

  public Mono<Member> member(String team, String username) {
    return existing(team)
        .then(teams.memberByUsername(team, username))
        .switchIfEmpty(
            Mono.error(() -> Problem.notFound("Member", username + "' of team '" + team)));
  }

  private Mono<Void> existing(String team) {
    return teams.find(team).switchIfEmpty(Mono.error(() -> Problem.notFound("Team", team))).then();
  }

  private static Problem alreadyMember(Member m) {
    return Problem.conflict(
        "'"
            + m.username()
            + "' is already a member of team '"
            + m.team()
            + "' as "
            + m.role()
            + "; change their role instead");
  }

  @Override
  public Flux<Membership> ofUser(String userId) {
    return teams
        .membershipsOf(userId)
        .map(m -> new Membership(m.member().team(), m.displayName(), m.member().role()));
  }

  @Override
  public Flux<String> removeEverywhere(String userId, String actor) {
    return teams
        .membershipsOf(userId)
        .concatMap(
            m ->
                removeInTransaction(m.member(), "user-deleted", actor)
                    .thenReturn(m.member().team()));
  }

  @Override
  public Mono<Void> push(Iterable<String> teamNames) {
    return Flux.fromIterable(teamNames).concatMap(sync::pushQuietly).then();
  }
}
