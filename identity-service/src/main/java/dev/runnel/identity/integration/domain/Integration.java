package dev.runnel.identity.integration.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A machine client of a team (集成): an OAuth client-credentials client whose tokens carry the team's
 * group with {@link #role()}, so it acts in the team's scope like a member would.
 */
public record Integration(
    UUID id,
    String team,
    String name,
    String clientId,
    String clientUuid,
    String serviceAccountUserId,
    String role,
    String createdBy,
    Instant createdAt) {
  public static final String DEFAULT_ROLE = "team-member";
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

  public Integration {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(team, "team");
    name = name(name);
    role = role(role);
  }

  /** The Keycloak client id: team and name joined by dots, which neither may contain. */
  public static String clientIdOf(String team, String name) {
    return "runnel-integration." + team + "." + name;
  }

  public static String name(String raw) {
    if (raw == null || !NAME.matcher(raw).matches()) {
      throw new InvalidIntegrationException(
          "name",
          "'"
              + raw
              + "' is not a valid integration name: use 1 to 40 lowercase letters, digits and"
              + " '-', starting and ending with a letter or digit");
    }
    return raw;
  }

  /** Integrations act as members or viewers; administering a team stays with people. */
  public static String role(String raw) {
    String role = raw == null ? DEFAULT_ROLE : raw;
    if (!role.equals("team-member") && !role.equals("team-viewer")) {
      throw new InvalidIntegrationException(
          "role",
          "'" + raw + "' is not a role an integration can hold; use team-member or team-viewer");
    }
    return role;
  }

  /** A validated name and role, before the client exists. */
  public record Valid(String name, String role) {}
}
