package dev.runnel.identity.user.application;

import dev.runnel.identity.user.domain.NewUser;
import dev.runnel.identity.user.domain.User;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where users are kept (Keycloak). Failures a person can fix come back as problems: a duplicate
 * user name or email (409), a password the realm's policy refuses (400).
 */
public interface UserDirectory {
  /** Creates the user and answers its id. */
  Mono<String> create(NewUser user);

  /** The user with platform roles; empty when there is none. */
  Mono<User> find(String id);

  /** The user with exactly this user name, with platform roles; empty when there is none. */
  Mono<User> findByUsername(String username);

  /** Users whose user name, email or name contains {@code query} (all when null), in order. */
  Flux<User> search(String query, int first, int max);

  Mono<Void> setEnabled(String id, boolean enabled);

  Mono<Void> delete(String id);

  Mono<Void> resetPassword(String id, String password, boolean temporary, String field);

  Mono<Void> setPlatformRoles(String id, Set<String> roles);

  Mono<Void> updateProfile(String id, String email, String firstName, String lastName);

  /** Every user holding platform-admin directly, enabled or not. */
  Mono<List<User>> platformAdmins();

  /** Whether {@code password} is the user's current password. */
  Mono<Boolean> checkPassword(String username, String password);
}
