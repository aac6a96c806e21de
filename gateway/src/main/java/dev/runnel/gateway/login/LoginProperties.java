package dev.runnel.gateway.login;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Browser login through the gateway. Login is on when {@code client-secret} is set; without it the
 * gateway accepts bearer tokens only, as API clients send them.
 *
 * @param issuerUri the Keycloak realm ({@code http://keycloak:8080/realms/runnel}); its endpoints
 *     are derived from it, so the gateway starts while Keycloak is still down
 * @param clientId the gateway's confidential client in that realm
 * @param clientSecret that client's secret; set it from the environment ({@code
 *     RUNNEL_GATEWAY_LOGIN_CLIENT_SECRET}), never in a file under version control
 * @param scopes what the login asks for; {@code openid} is required
 * @param refreshBeforeExpiry how long before its expiry a session's access token is replaced by
 *     using the refresh token, so that a service never receives a token about to expire
 * @param successUrl where the browser goes after a successful login (a path of the console)
 * @param alwaysSecureCookies mark the session and CSRF cookies {@code Secure} even on plain HTTP
 *     requests; needed when TLS ends at a proxy that does not send {@code X-Forwarded-Proto}.
 *     Requests that arrive over HTTPS (or are forwarded as such) get {@code Secure} anyway
 * @param probeTimeout how long {@code /login} waits for Keycloak to answer before it tells the
 *     browser that login is unavailable
 */
@ConfigurationProperties("runnel.gateway.login")
@Validated
public record LoginProperties(
    @NotNull @DefaultValue("http://127.0.0.1:8180/realms/runnel") URI issuerUri,
    @NotBlank @DefaultValue("runnel-gateway") String clientId,
    @Nullable String clientSecret,
    @NotNull @DefaultValue({"openid", "profile", "email"}) List<String> scopes,
    @NotNull @DefaultValue("30s") Duration refreshBeforeExpiry,
    @NotBlank @DefaultValue("/") String successUrl,
    @DefaultValue("false") boolean alwaysSecureCookies,
    @NotNull @DefaultValue("3s") Duration probeTimeout) {

  public LoginProperties {
    if (!scopes.contains("openid")) {
      throw new IllegalArgumentException(
          "runnel.gateway.login.scopes must contain openid, not " + scopes);
    }
    if (!successUrl.startsWith("/") || successUrl.startsWith("//")) {
      // An absolute or protocol-relative URL here would turn the login into an open redirect.
      throw new IllegalArgumentException(
          "runnel.gateway.login.success-url must be a path on the gateway, not " + successUrl);
    }
    if (refreshBeforeExpiry.isNegative()) {
      throw new IllegalArgumentException(
          "runnel.gateway.login.refresh-before-expiry must not be negative");
    }
    if (probeTimeout.isNegative() || probeTimeout.isZero()) {
      throw new IllegalArgumentException("runnel.gateway.login.probe-timeout must be positive");
    }
  }

  /** Keycloak's endpoints for this realm. */
  public KeycloakEndpoints endpoints() {
    return KeycloakEndpoints.of(issuerUri);
  }
}
