package dev.runnel.identity.team.domain;

import java.time.Instant;
import java.util.Objects;

/** A user's membership in a team, with their team role. */
public record Member(String team, String userId, String username, String role, Instant addedAt) {
  public Member {
    Objects.requireNonNull(team, "team");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(username, "username");
    role = TeamRules.role("role", role);
  }

  public Member withRole(String newRole) {
    return new Member(team, userId, username, newRole, addedAt);
  }
}
