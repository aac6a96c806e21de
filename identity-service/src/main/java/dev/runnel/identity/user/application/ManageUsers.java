package dev.runnel.identity.user.application;

import dev.runnel.identity.user.domain.InvalidUserException;
import dev.runnel.identity.user.domain.NewUser;
import dev.runnel.identity.user.domain.User;
import dev.runnel.identity.user.domain.UserEvent;
import dev.runnel.identity.user.domain.UserRules;
import dev.runnel.kit.problem.Problem;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Users: create, disable, enable, delete, reset password, change platform roles, search.
 *
 * <p>Keycloak keeps users, so each change goes to Keycloak first and its event is written to the
 * outbox right after; when that write fails, a creation is undone in Keycloak (compensation). The
 * last enabled platform admin can be neither disabled, deleted nor demoted: the platform would be
 * left without anyone to run it. Authorisation happens at the edge.
 */
@Service
public class ManageUsers {
  public static final int MAX_PAGE = 200;
  private static final Logger log = LoggerFactory.getLogger(ManageUsers.class);

  private final UserDirectory directory;
  private final UserEvents events;
  private final TeamMemberships memberships;
  private final TransactionalOperator tx;
  private final Clock clock;

  public ManageUsers(
      UserDirectory directory,
      UserEvents events,
      TeamMemberships memberships,
      TransactionalOperator tx,
      Clock clock) {
    this.directory = directory;
    this.events = events;
    this.memberships = memberships;
    this.tx = tx;
    this.clock = clock;
  }

  public Mono<User> get(String id) {
    return directory.find(id).switchIfEmpty(Mono.error(() -> Problem.notFound("User", id)));
  }

  public Mono<UserPage> list(String query, String cursor, int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      return Mono.error(Problem.invalid("limit", "must be between 1 and " + MAX_PAGE));
    }
    String q = query == null || query.isBlank() ? null : query.strip();
    if (q != null && q.length() > 100) {
      return Mono.error(Problem.invalid("search", "must be at most 100 characters"));
    }
    int offset = 0;
    if (cursor != null && !cursor.isEmpty()) {
      UserCursor after = UserCursor.decode(cursor);
      if (after == null || !after.query().equals(q == null ? "" : q)) {
        return Mono.error(
            Problem.invalid("cursor", "is not a cursor this API returned for this search"));
      }
      offset = after.offset();
    }
    int from = offset;
    return directory
        .search(q, from, limit + 1)
        .collectList()
        .map(
            rows ->
                rows.size() <= limit
                    ? new UserPage(rows, null)
                    : new UserPage(
                        rows.subList(0, limit), new UserCursor(from + limit, q).encode()));
  }

  public Mono<User> create(NewUserCommand command) {
    return validated(() -> command.user())
        .flatMap(
            user ->
                directory
                    .create(user)
                    .flatMap(
                        id ->
                            get(id)
                                .flatMap(
                                    created ->
                                        events
                                            .record(
                                                new UserEvent.Created(
                                                    UUID.randomUUID(), clock.instant(), created),
                                                command.actor())
                                            .as(tx::transactional)
                                            .thenReturn(created)
                                            .onErrorResume(
                                                e -> undoCreate(created, e).then(Mono.error(e))))))
        .doOnNext(
            u -> log.info("user '{}' ({}) created by {}", u.username(), u.id(), command.actor()));
  }

  private Mono<Void> undoCreate(User created, Throwable cause) {
    log.error(
        "recording the creation of user '{}' failed; removing it from Keycloak again",
        created.username(),
        cause);
    return directory
        .delete(created.id())
        .onErrorResume(
            e -> {
              log.error(
                  "user '{}' ({}) exists in Keycloak without its creation event; delete it by"
                      + " hand",
                  created.username(),
                  created.id(),
                  e);
              return Mono.empty();
            });
  }

  public Mono<User> disable(String id, String actor) {
    return get(id)
        .flatMap(
            user ->
                !user.enabled()
                    ? Mono.just(user)
                    : refuseLastAdmin(user, "disable")
                        .then(directory.setEnabled(id, false))
                        .then(
                            events
                                .record(
                                    new UserEvent.Disabled(
                                        UUID.randomUUID(), clock.instant(), user),
                                    actor)
                                .as(tx::transactional))
                        .then(get(id)));
  }

  public Mono<User> enable(String id, String actor) {
    return get(id)
        .flatMap(
            user ->
                user.enabled()
                    ? Mono.just(user)
                    : directory
                        .setEnabled(id, true)
                        .then(
                            events
                                .record(
                                    new UserEvent.Enabled(UUID.randomUUID(), clock.instant(), user),
                                    actor)
                                .as(tx::transactional))
                        .then(get(id)));
  }

  /**
   * Deletes the user in Keycloak, then removes their memberships with the event in one transaction.
   * A crash between the two leaves memberships of a user who no longer exists; the Keycloak push
   * skips such users and a repeated delete answers 404 for the user.
   */
  public Mono<Void> delete(String id, String actor) {
    return get(id)
        .flatMap(
            user ->
                refuseLastAdmin(user, "delete")
                    .then(directory.delete(id))
                    .then(
                        memberships
                            .removeEverywhere(id, actor)
                            .collectList()
                            .flatMap(
                                teams ->
                                    events
                                        .record(
                                            new UserEvent.Deleted(
                                                UUID.randomUUID(), clock.instant(), user),
                                            actor)
                                        .thenReturn(teams))
                            .as(tx::transactional))
                    .flatMap(memberships::push)
                    .doOnSuccess(
                        v -> log.info("user '{}' ({}) deleted by {}", user.username(), id, actor)));
  }

  public Mono<Void> resetPassword(String id, String password, boolean temporary) {
    return validated(() -> UserRules.password("password", password))
        .flatMap(p -> get(id).then(directory.resetPassword(id, p, temporary, "password")));
  }

  public Mono<User> setPlatformRoles(String id, List<String> roles, String actor) {
    return validated(() -> UserRules.platformRoles(roles))
        .flatMap(
            wanted ->
                get(id)
                    .flatMap(
                        user ->
                            (user.isPlatformAdmin() && !wanted.contains("platform-admin")
                                    ? refuseLastAdmin(user, "demote")
                                    : Mono.<Void>empty())
                                .then(directory.setPlatformRoles(id, wanted))
                                .then(get(id))
                                .doOnNext(
                                    u ->
                                        log.info(
                                            "platform roles of '{}' set to {} by {}",
                                            u.username(),
                                            wanted,
                                            actor))));
  }

  /** 409 when {@code user} is the only enabled platform admin. */
  private Mono<Void> refuseLastAdmin(User user, String action) {
    if (!user.isPlatformAdmin() || !user.enabled()) {
      return Mono.empty();
    }
    return directory
        .platformAdmins()
        .flatMap(
            admins -> {
              long others =
                  admins.stream().filter(a -> a.enabled() && !a.id().equals(user.id())).count();
              if (others == 0) {
                return Mono.error(
                    Problem.conflict(
                        "'"
                            + user.username()
                            + "' is the last enabled platform admin; make another user a platform"
                            + " admin before you "
                            + action
                            + " this one"));
              }
              return Mono.empty();
            });
  }

  static <T> Mono<T> validated(Supplier<T> value) {
    try {
      return Mono.just(value.get());
    } catch (InvalidUserException e) {
      return Mono.error(Problem.invalid(e.field(), e.getMessage()));
    }
  }

  /** A user to create, and who asks. */
  public record NewUserCommand(
      String username,
      String email,
      String firstName,
      String lastName,
      String password,
      Boolean temporaryPassword,
      List<String> platformRoles,
      String actor) {
    NewUser user() {
      return new NewUser(
          username,
          email,
          firstName,
          lastName,
          password,
          temporaryPassword == null || temporaryPassword,
          platformRoles == null ? Set.of() : new java.util.LinkedHashSet<>(platformRoles));
    }
  }
}
