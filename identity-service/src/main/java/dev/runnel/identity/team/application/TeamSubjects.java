package dev.runnel.identity.team.application;

import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Who else than people belongs to a team's groups: the service accounts of the team's integrations.
 * The integrations feature provides it.
 */
public interface TeamSubjects {
  /** Service-account user ids per team role. */
  Mono<Map<String, Set<String>>> serviceAccounts(String team);

  /** Removes what the identity provider holds for the team's integrations (team deleted). */
  Mono<Void> removeAll(String team);
}
