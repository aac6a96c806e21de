package dev.runnel.identity.user.domain;

import java.time.Instant;
import java.util.Set;

/**
 * A person who signs in to the platform. Keycloak keeps users; this is what the platform reads of
 * one.
 *
 * @param platformRoles the user's platform roles, or null when not read (lists)
 */
public record User(
    String id,
    String username,
    String email,
    String firstName,
    String lastName,
    boolean enabled,
    Instant createdAt,
    Set<String> platformRoles) {

  public boolean isPlatformAdmin() {
    return platformRoles != null && platformRoles.contains("platform-admin");
  }
}
