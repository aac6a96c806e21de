package dev.runnel.identity.federation.domain;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * An external OpenID Connect identity provider users may sign in with (Keycloak's identity
 * brokering).
 *
 * @param alias the provider's stable name in the realm and in its redirect URI
 * @param clientSecret null on reads (never shown) and on an update that keeps the stored one
 */
public record OidcProvider(
    String alias,
    String displayName,
    String issuer,
    String authorizationUrl,
    String tokenUrl,
    String jwksUrl,
    String userInfoUrl,
    String clientId,
    String clientSecret,
    String defaultScopes,
    boolean enabled) {
  private static final Pattern ALIAS = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");
  private static final Set<String> WEB = Set.of("https", "http");

  public OidcProvider {
    if (alias == null || !ALIAS.matcher(alias).matches()) {
      throw new InvalidFederationException(
          "alias",
          "'"
              + alias
              + "' is not a valid alias: use 1 to 40 lowercase letters, digits and '-', starting"
              + " and ending with a letter or digit");
    }
    displayName = FederationRules.text("displayName", displayName, 100, false);
    issuer = FederationRules.url("issuer", issuer, WEB, false);
    authorizationUrl = FederationRules.url("authorizationUrl", authorizationUrl, WEB, true);
    tokenUrl = FederationRules.url("tokenUrl", tokenUrl, WEB, true);
    jwksUrl = FederationRules.url("jwksUrl", jwksUrl, WEB, false);
    userInfoUrl = FederationRules.url("userInfoUrl", userInfoUrl, WEB, false);
    clientId = FederationRules.text("clientId", clientId, 255, true);
    if (clientSecret != null && clientSecret.length() > 500) {
      throw new InvalidFederationException("clientSecret", "must be at most 500 characters");
    }
    defaultScopes =
        defaultScopes == null
            ? "openid profile email"
            : FederationRules.text("defaultScopes", defaultScopes, 500, true);
  }

  @Override
  public String toString() {
    return "OidcProvider[alias=" + alias + ", issuer=" + issuer + "]";
  }
}
