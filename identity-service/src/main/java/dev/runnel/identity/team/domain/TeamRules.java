package dev.runnel.identity.team.domain;

import java.util.List;
import java.util.regex.Pattern;

/** What a team's fields may hold; the messages go to the person as they are. */
public final class TeamRules {
  public static final List<String> ROLES = List.of("team-admin", "team-member", "team-viewer");
  // A DNS-1123 label: the team's name becomes its Kubernetes namespace and its Keycloak group.
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final int MAX_DISPLAY_NAME = 100;

  private TeamRules() {}

  public static String name(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidTeamException("name", "must not be blank");
    }
    if (!NAME.matcher(raw).matches()) {
      throw new InvalidTeamException(
          "name",
          "'"
              + raw
              + "' is not a DNS label: use 1 to 63 lowercase letters, digits and '-', starting"
              + " and ending with a letter or digit");
    }
    return raw;
  }

  public static String displayName(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidTeamException("displayName", "must not be blank");
    }
    String name = raw.strip();
    if (name.codePointCount(0, name.length()) > MAX_DISPLAY_NAME) {
      throw new InvalidTeamException(
          "displayName", "must be at most " + MAX_DISPLAY_NAME + " characters");
    }
    if (name.codePoints().anyMatch(Character::isISOControl)) {
      throw new InvalidTeamException("displayName", "must not contain control characters");
    }
    return name;
  }

  public static String role(String field, String raw) {
    if (raw == null || !ROLES.contains(raw)) {
      throw new InvalidTeamException(
          field, "'" + raw + "' is not a team role; use team-admin, team-member or team-viewer");
    }
    return raw;
  }
}
