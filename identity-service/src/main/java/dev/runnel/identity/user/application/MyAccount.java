package dev.runnel.identity.user.application;

import dev.runnel.identity.user.domain.User;
import dev.runnel.identity.user.domain.UserRules;
import dev.runnel.kit.problem.Problem;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** What every signed-in user may do with their own account: read it, edit it, change password. */
@Service
public class MyAccount {
  private final UserDirectory directory;
  private final TeamMemberships memberships;

  public MyAccount(UserDirectory directory, TeamMemberships memberships) {
    this.directory = directory;
    this.memberships = memberships;
  }

  public Mono<Me> me(String username) {
    return self(username)
        .flatMap(
            user -> memberships.ofUser(user.id()).collectList().map(teams -> new Me(user, teams)));
  }

  public Mono<Me> updateProfile(String username, String email, String firstName, String lastName) {
    return self(username)
        .flatMap(
            user ->
                ManageUsers.validated(
                        () ->
                            new Profile(
                                email == null ? user.email() : UserRules.email(email),
                                firstName == null
                                    ? user.firstName()
                                    : UserRules.name("firstName", firstName),
                                lastName == null
                                    ? user.lastName()
                                    : UserRules.name("lastName", lastName)))
                    .flatMap(
                        p ->
                            directory.updateProfile(
                                user.id(), p.email(), p.firstName(), p.lastName())))
        .then(me(username));
  }

  /** The current password is checked with Keycloak before the new one is set. */
  public Mono<Void> changePassword(String username, String current, String next) {
    return self(username)
        .flatMap(
            user ->
                ManageUsers.validated(() -> UserRules.password("newPassword", next))
                    .flatMap(
                        p ->
                            current == null || current.isEmpty()
                                ? Mono.error(
                                    Problem.invalid("currentPassword", "must not be empty"))
                                : directory
                                    .checkPassword(user.username(), current)
                                    .flatMap(
                                        ok ->
                                            ok
                                                ? directory.resetPassword(
                                                    user.id(), p, false, "newPassword")
                                                : Mono.error(
                                                    Problem.invalid(
                                                        "currentPassword",
                                                        "is not your current password")))));
  }

  private Mono<User> self(String username) {
    return directory
        .findByUsername(username)
        .switchIfEmpty(Mono.error(() -> Problem.notFound("User", username)));
  }

  record Profile(String email, String firstName, String lastName) {}

  /** The caller's account, platform roles and teams. */
  public record Me(User user, List<TeamMemberships.Membership> teams) {}
}
