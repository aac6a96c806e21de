package dev.runnel.deploy.team.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * deploy-service's own picture of a team, kept from identity-service's events: just what it needs
 * to lay out the team's namespace on every cluster. Each change that matters raises {@code
 * version}; a namespace is up to date on a cluster once that version was applied there. An event
 * that changes nothing (a replay, a rename to the same name) leaves the version alone, so it causes
 * no work.
 *
 * @param name the team's name, also its namespace; never changes
 * @param displayName what people call the team; null until a team event said it
 * @param deleted true once the team was deleted: its namespaces are removed
 */
public record Team(
    String name, String displayName, TeamQuota quota, boolean deleted, long version) {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public Team {
    name = validName(name);
    Objects.requireNonNull(quota, "quota");
  }

  /** A team this service has not heard of before: nothing to apply yet. */
  public static Team unknown(String name) {
    return new Team(name, null, TeamQuota.NONE, true, 0);
  }

  public static String validName(String name) {
    if (name == null || !DNS_LABEL.matcher(name).matches()) {
      throw new InvalidTeamEventException(
          "team name must be a DNS-1123 label (it is the namespace): " + name);
    }
    return name;
  }

  /** Created, or renamed: the team exists with this display name. */
  public Team exists(String newDisplayName) {
    if (!deleted && Objects.equals(displayName, newDisplayName)) {
      return this;
    }
    return new Team(name, newDisplayName, quota, false, version + 1);
  }

  /**
   * The quota changed. A quota for a team not seen yet makes it exist: identity-service sets quotas
   * of existing teams only, and its events for one team arrive in order.
   */
  public Team withQuota(TeamQuota newQuota) {
    if (!deleted && quota.equals(newQuota)) {
      return this;
    }
    return new Team(name, displayName, newQuota, false, version + 1);
  }

  public Team removed() {
    if (deleted) {
      return this;
    }
    return new Team(name, displayName, TeamQuota.NONE, true, version + 1);
  }

  /** The namespace that holds the team's instances on every cluster. */
  public String namespace() {
    return name;
  }
}
