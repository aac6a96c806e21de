package dev.runnel.cli.auth;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** The user's tokens as the CLI keeps them between commands. */
public record StoredToken(
    String issuer,
    String accessToken,
    Instant expiresAt,
    String refreshToken,
    Instant refreshExpiresAt) {

  static StoredToken from(String issuer, JsonNode response) {
    Instant now = Instant.now();
    long refreshIn = response.path("refresh_expires_in").asLong(0);
    return new StoredToken(
        issuer,
        response.get("access_token").asString(),
        now.plusSeconds(response.path("expires_in").asLong(60)),
        response.path("refresh_token").asString(null),
        refreshIn > 0 ? now.plusSeconds(refreshIn) : null);
  }

  boolean freshFor(long seconds) {
    return Instant.now().plusSeconds(seconds).isBefore(expiresAt);
  }

  boolean refreshable() {
    return refreshToken != null
        && (refreshExpiresAt == null || Instant.now().isBefore(refreshExpiresAt));
  }
}
