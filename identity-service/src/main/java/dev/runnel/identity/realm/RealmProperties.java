package dev.runnel.identity.realm;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the realm must look like; identity-service makes it so at start-up.
 *
 * @param bootstrap whether to create or update the realm at start-up
 * @param gatewayClientId the console's confidential client (the gateway's BFF)
 * @param gatewayBaseUrl where the console is served: redirect URIs, web origins and post-logout
 *     redirects derive from it
 * @param gatewayClientSecret the gateway client's secret; empty keeps what Keycloak holds (a new
 *     client then gets a generated one)
 * @param cliClientId the CLI's public client (device flow)
 * @param cliPasswordGrant whether the CLI client also accepts the password grant (scripts, and the
 *     check of a user's current password)
 * @param passwordPolicy Keycloak's password policy expression
 * @param retryDelay the first pause between bootstrap attempts while Keycloak is not reachable
 */
@ConfigurationProperties("runnel.identity.realm")
@Validated
public record RealmProperties(
    @DefaultValue("true") boolean bootstrap,
    @DefaultValue("runnel-gateway") @NotBlank String gatewayClientId,
    @DefaultValue("http://127.0.0.1:8080") @NotBlank String gatewayBaseUrl,
    String gatewayClientSecret,
    @DefaultValue("runnel-cli") @NotBlank String cliClientId,
    @DefaultValue("true") boolean cliPasswordGrant,
    @DefaultValue("length(12) and notUsername and notEmail") @NotBlank String passwordPolicy,
    @DefaultValue("2s") Duration retryDelay) {

  @Override
  public String toString() {
    return "RealmProperties[gatewayClientId="
        + gatewayClientId
        + ", gatewayBaseUrl="
        + gatewayBaseUrl
        + ", cliClientId="
        + cliClientId
        + ", passwordPolicy="
        + passwordPolicy
        + "]";
  }
}
