package dev.runnel.identity.user.domain;

import java.util.List;
import java.util.Set;

/**
 * A user to create, validated on construction. Without a password the user must set one at first
 * sign-in (Keycloak's required action); with one, it is temporary unless said otherwise.
 */
public record NewUser(
    String username,
    String email,
    String firstName,
    String lastName,
    String password,
    boolean temporaryPassword,
    Set<String> platformRoles) {

  public NewUser {
    username = UserRules.username(username);
    email = UserRules.email(email);
    firstName = UserRules.name("firstName", firstName);
    lastName = UserRules.name("lastName", lastName);
    if (password != null) {
      password = UserRules.password("password", password);
    }
    platformRoles = UserRules.platformRoles(platformRoles == null ? List.of() : platformRoles);
  }
}
