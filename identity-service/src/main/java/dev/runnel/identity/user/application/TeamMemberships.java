package dev.runnel.identity.user.application;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The user's side of team membership, which the teams feature keeps. */
public interface TeamMemberships {
  /** The teams the user belongs to, with the role in each. */
  Flux<Membership> ofUser(String userId);

  /**
   * Removes the user from every team, with an event per team; runs in the caller's transaction.
   * Answers the teams whose Keycloak groups need a push afterwards.
   */
  Flux<String> removeEverywhere(String userId, String actor);

  /** Pushes the named teams' membership to Keycloak now (best effort; the reconciler retries). */
  Mono<Void> push(Iterable<String> teams);

  record Membership(String team, String displayName, String role) {}
}
