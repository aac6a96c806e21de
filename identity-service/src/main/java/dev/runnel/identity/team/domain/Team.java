package dev.runnel.identity.team.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A team (团队): people who own a namespace and what is installed in it. The name is the team's
 * identity everywhere (Kubernetes namespace, Keycloak group {@code /teams/<name>}) and never
 * changes; the display name does.
 */
public record Team(
    String name, String displayName, long version, Instant createdAt, Instant updatedAt) {

  public Team {
    name = TeamRules.name(name);
    displayName = TeamRules.displayName(displayName);
    Objects.requireNonNull(createdAt, "createdAt");
  }

  public static Change create(String name, String displayName, Instant now) {
    Team created = new Team(name, displayName, 0, now, now);
    return new Change(created, new TeamEvent.Created(UUID.randomUUID(), now, created));
  }

  /** A new display name; no event when it is the same. */
  public Change rename(String newDisplayName, Instant now) {
    Team renamed = new Team(name, newDisplayName, version + 1, createdAt, now);
    if (renamed.displayName.equals(displayName)) {
      return new Change(this, null);
    }
    return new Change(renamed, new TeamEvent.Updated(UUID.randomUUID(), now, renamed, displayName));
  }

  /** Refused while anything is still installed for the team. */
  public TeamEvent.Deleted delete(long instances, Instant now) {
    if (instances > 0) {
      throw new TeamInUseException(
          "Team '"
              + name
              + "' still has "
              + instances
              + (instances == 1 ? " instance" : " instances")
              + "; delete them first",
          instances);
    }
    return new TeamEvent.Deleted(UUID.randomUUID(), now, this);
  }

  /** The state after a change, and the event to publish (null when nothing changed). */
  public record Change(Team team, TeamEvent event) {}
}
