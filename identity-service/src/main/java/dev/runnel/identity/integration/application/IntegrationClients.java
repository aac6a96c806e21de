package dev.runnel.identity.integration.application;

import reactor.core.publisher.Mono;

/** The identity provider's clients behind integrations. */
public interface IntegrationClients {
  /** Creates a confidential client with a service account, marked as the team's. */
  Mono<CreatedClient> create(String team, String clientId, String description);

  /** Deletes the client (absent is fine). */
  Mono<Void> delete(String clientUuid);

  /** Deletes every client marked as the team's. */
  Mono<Void> deleteAllOf(String team);

  /**
   * @param secret shown to the creator once and kept nowhere by the platform
   */
  record CreatedClient(String clientUuid, String serviceAccountUserId, String secret) {
    @Override
    public String toString() {
      return "CreatedClient[clientUuid=" + clientUuid + "]";
    }
  }
}
