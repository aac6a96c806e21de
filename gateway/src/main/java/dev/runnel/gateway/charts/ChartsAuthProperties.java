package dev.runnel.gateway.charts;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * HTTP basic credentials on the chart repository ({@code /charts/**}), for Helm clients.
 *
 * @param enabled off: {@code /charts/**} takes bearer tokens and browser sessions only, as every
 *     other path does
 * @param issuerUri the Keycloak realm whose token endpoint the credentials are exchanged at; the
 *     same realm whose tokens the gateway and market accept ({@code
 *     spring.security.oauth2.resourceserver.jwt.issuer-uri} by default)
 * @param userClientId the public client a person's user name and password are exchanged through
 *     (password grant); it needs direct access grants, as the CLI's client has
 * @param integrationClientPrefix user names that start with it are an integration's client id, and
 *     the password its secret (client-credentials grant); identity-service names every integration
 *     client so
 * @param keycloakTimeout how long one exchange may take (connecting included) before the caller
 *     gets a 503 problem
 * @param cacheMaxEntries how many successful exchanges are remembered at most; past it, new
 *     credentials are exchanged on every request until remembered ones expire
 * @param cacheMaxAge how long a successful exchange is reused at most; a changed password or a
 *     disabled user takes effect on {@code /charts} within it. {@code 0s} exchanges on every
 *     request
 * @param minRemainingValidity a remembered token is not relayed any more once it has less than this
 *     left before it expires, so market never gets one that runs out in flight
 */
@ConfigurationProperties("runnel.gateway.charts-auth")
@Validated
public record ChartsAuthProperties(
    @DefaultValue("true") boolean enabled,
    @NotNull @DefaultValue("http://127.0.0.1:8180/realms/runnel") URI issuerUri,
    @NotBlank @DefaultValue("runnel-cli") String userClientId,
    @NotBlank @DefaultValue("runnel-integration.") String integrationClientPrefix,
    @NotNull @DefaultValue("5s") Duration keycloakTimeout,
    @DefaultValue("1000") @Min(1) int cacheMaxEntries,
    @NotNull @DefaultValue("1m") Duration cacheMaxAge,
    @NotNull @DefaultValue("30s") Duration minRemainingValidity) {

  public ChartsAuthProperties {
    if (keycloakTimeout != null && (keycloakTimeout.isNegative() || keycloakTimeout.isZero())) {
      throw new IllegalArgumentException(
          "runnel.gateway.charts-auth.keycloak-timeout must be longer than zero, not "
              + keycloakTimeout);
    }
    if (cacheMaxAge != null && cacheMaxAge.isNegative()) {
      throw new IllegalArgumentException(
          "runnel.gateway.charts-auth.cache-max-age must not be negative, not " + cacheMaxAge);
    }
    if (minRemainingValidity != null && minRemainingValidity.isNegative()) {
      throw new IllegalArgumentException(
          "runnel.gateway.charts-auth.min-remaining-validity must not be negative, not "
              + minRemainingValidity);
    }
  }
}
