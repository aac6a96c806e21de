package dev.runnel.gateway.charts;

import reactor.core.publisher.Mono;

/**
 * Trades basic credentials for an access token of the platform's realm.
 *
 * <p>Fails with {@link org.springframework.security.authentication.BadCredentialsException} when
 * the identity provider refused the credentials, and with {@link KeycloakUnavailableException} when
 * it could not be asked (down, slow, cut off by the breaker, or an answer that is not a token).
 */
interface CredentialsExchange {

  /**
   * The access token for {@code username} and {@code password}, as the identity provider issued it.
   */
  Mono<String> accessToken(String username, String password);
}
