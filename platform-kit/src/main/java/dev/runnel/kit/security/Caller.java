package dev.runnel.kit.security;

import java.util.Map;
import java.util.Set;

/**
 * Who is calling, as the access token says: platform roles and a role per team.
 *
 * @param subject the stable user id ({@code sub})
 * @param username what people call the user ({@code preferred_username})
 * @param platformRoles {@code platform-admin}, {@code platform-auditor}, ...
 * @param teams team name to the caller's role in it ({@code team-admin}, {@code team-member},
 *     {@code team-viewer})
 */
public record Caller(
    String subject, String username, Set<String> platformRoles, Map<String, String> teams) {
  public static final String PLATFORM_ADMIN = "platform-admin";
  public static final String PLATFORM_AUDITOR = "platform-auditor";
  public static final String TEAM_ADMIN = "team-admin";
  public static final String TEAM_MEMBER = "team-member";
  public static final String TEAM_VIEWER = "team-viewer";

  public Caller {
    platformRoles = Set.copyOf(platformRoles);
    teams = Map.copyOf(teams);
  }

  public boolean isPlatformAdmin() {
    return platformRoles.contains(PLATFORM_ADMIN);
  }

  /** Admins and auditors see every team's objects. */
  public boolean canReadEverything() {
    return isPlatformAdmin() || platformRoles.contains(PLATFORM_AUDITOR);
  }

  public boolean hasAnyPlatformRole(String... roles) {
    for (String role : roles) {
      if (platformRoles.contains(role)) {
        return true;
      }
    }
    return false;
  }

  public boolean canRead(String team) {
    return canReadEverything() || teams.containsKey(team);
  }

  /** Members and team admins change their team's objects; viewers and auditors do not. */
  public boolean canChange(String team) {
    String role = teams.get(team);
    return isPlatformAdmin() || TEAM_ADMIN.equals(role) || TEAM_MEMBER.equals(role);
  }

  public boolean canAdminister(String team) {
    return isPlatformAdmin() || TEAM_ADMIN.equals(teams.get(team));
  }

  /** 403 unless the caller holds one of the platform roles. */
  public Caller requirePlatformRole(String... roles) {
    if (!hasAnyPlatformRole(roles)) {
      throw Denial.forbidden(
          "This action needs one of the roles " + String.join(", ", roles), null);
    }
    return this;
  }

  /**
   * 404 when the caller may not see the team's object at all (never revealing that it exists), 403
   * when they may see it but not change it.
   */
  public Caller requireChange(String team, String what, Object id) {
    requireRead(team, what, id);
    if (!canChange(team)) {
      throw Denial.forbidden("Your role in team '" + team + "' does not allow changes", team);
    }
    return this;
  }

  /**
   * 404 when the caller may not see the team's object: the same answer as for an object that does
   * not exist, recorded as a scope denial ({@link Denial#hidden}).
   */
  public Caller requireRead(String team, String what, Object id) {
    if (!canRead(team)) {
      throw Denial.hidden(what, id, team);
    }
    return this;
  }

  /** 403 unless the caller administers the team (after {@link #requireRead} on it). */
  public Caller requireAdminister(String team, String detail) {
    if (!canAdminister(team)) {
      throw Denial.forbidden(detail, team);
    }
    return this;
  }
}
