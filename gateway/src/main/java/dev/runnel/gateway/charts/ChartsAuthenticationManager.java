package dev.runnel.gateway.charts;

import dev.runnel.kit.security.RunnelSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import reactor.core.publisher.Mono;

/**
 * Authenticates basic credentials on {@code /charts/**}: a token remembered for exactly these
 * credentials, or a new exchange with Keycloak. The token is then checked by the gateway's own JWT
 * decoder, as a bearer token would be, so what is relayed to market is a token the gateway has
 * validated, and the caller's principal and roles are read from it as for any bearer request.
 */
final class ChartsAuthenticationManager implements ReactiveAuthenticationManager {
  private static final Logger log = LoggerFactory.getLogger(ChartsAuthenticationManager.class);

  private final CredentialsExchange keycloak;
  private final ReactiveJwtDecoder tokens;
  private final ExchangedTokens remembered;
  private final ReactiveJwtAuthenticationConverterAdapter roles = RunnelSecurity.platformRoles();

  ChartsAuthenticationManager(
      CredentialsExchange keycloak, ReactiveJwtDecoder tokens, ExchangedTokens remembered) {
    this.keycloak = keycloak;
    this.tokens = tokens;
    this.remembered = remembered;
  }

  @Override
  public Mono<Authentication> authenticate(Authentication basic) {
    String username = basic.getName();
    String password = String.valueOf(basic.getCredentials());
    return Mono.defer(
            () ->
                remembered
                    .find(username, password)
                    .map(Mono::just)
                    .orElseGet(() -> exchange(username, password)))
        .flatMap(roles::convert)
        .cast(Authentication.class);
  }

  private Mono<Jwt> exchange(String username, String password) {
    return keycloak
        .accessToken(username, password)
        .flatMap(token -> tokens.decode(token).onErrorMap(JwtException.class, this::unusable))
        .doOnNext(jwt -> remembered.remember(username, password, jwt));
  }

  /**
   * Keycloak issued a token the gateway does not accept (another issuer than the one configured, a
   * key it cannot fetch): not the caller's fault, and nothing they can fix by retyping.
   */
  private KeycloakUnavailableException unusable(JwtException e) {
    log.warn(
        "The token Keycloak issued for chart credentials was not accepted: {}", e.getMessage());
    return new KeycloakUnavailableException("Keycloak's token was not accepted", e);
  }
}
