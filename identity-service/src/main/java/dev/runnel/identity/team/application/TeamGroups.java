package dev.runnel.identity.team.application;

import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/** The identity provider's mirror of team membership: groups {@code /teams/<team>/<role>}. */
public interface TeamGroups {
  /**
   * Makes the team's groups hold exactly these users (user ids per team role), creating the groups
   * when missing. Users that no longer exist are skipped.
   */
  Mono<Void> apply(String team, Map<String, Set<String>> usersByRole);

  /** Removes the team's groups (absent is fine). */
  Mono<Void> remove(String team);
}
