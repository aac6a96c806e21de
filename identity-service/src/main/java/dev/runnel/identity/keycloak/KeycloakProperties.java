package dev.runnel.identity.keycloak;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How identity-service reaches Keycloak's admin API. The credentials come from configuration or the
 * environment only, and are never logged.
 *
 * @param url Keycloak's base URL ({@code http://127.0.0.1:8180})
 * @param realm the realm the platform lives in
 * @param adminRealm the realm the admin credentials belong to ({@code master} for Keycloak's
 *     bootstrap admin)
 * @param adminClient the client the admin signs in through ({@code admin-cli})
 * @param adminUsername the admin's user name; leave empty to sign in with the client's secret
 * @param adminPassword the admin's password
 * @param adminClientSecret the admin client's secret, for a service account instead of a user
 * @param passwordCheckClient a public client of {@link #realm} with direct access grants, used to
 *     check a user's current password before they change it
 * @param connectTimeout how long to wait for a connection to Keycloak
 * @param callTimeout how long Keycloak may take to answer one request before the caller gets a 503
 *     problem
 * @param failureRateThreshold percentage of failed calls that opens the circuit breaker
 * @param openDuration how long the breaker stays open before it lets a trial call through
 */
@ConfigurationProperties("runnel.identity.keycloak")
@Validated
public record KeycloakProperties(
    @NotBlank String url,
    @DefaultValue("runnel") @NotBlank String realm,
    @DefaultValue("master") @NotBlank String adminRealm,
    @DefaultValue("admin-cli") @NotBlank String adminClient,
    String adminUsername,
    String adminPassword,
    String adminClientSecret,
    @DefaultValue("runnel-cli") @NotBlank String passwordCheckClient,
    @DefaultValue("3s") Duration connectTimeout,
    @DefaultValue("10s") Duration callTimeout,
    @DefaultValue("50") float failureRateThreshold,
    @DefaultValue("15s") Duration openDuration) {

  /** The credentials stay out of {@code toString()}, which logs and error pages may print. */
  @Override
  public String toString() {
    return "KeycloakProperties[url="
        + url
        + ", realm="
        + realm
        + ", adminRealm="
        + adminRealm
        + ", adminClient="
        + adminClient
        + "]";
  }
}
