package dev.runnel.gateway.login;

import java.net.URI;

/**
 * A Keycloak realm's OpenID Connect endpoints, derived from its issuer the way Keycloak lays them
 * out. Derived rather than discovered so that the gateway starts, and serves bearer clients, while
 * Keycloak is still starting or down; discovery would make Keycloak a start-up dependency.
 *
 * @param issuer the realm, {@code <base>/realms/<realm>}
 * @param discovery the OpenID provider metadata, also the reachability probe of {@code /login}
 */
public record KeycloakEndpoints(
    URI issuer,
    URI authorization,
    URI token,
    URI jwkSet,
    URI userInfo,
    URI endSession,
    URI discovery) {

  public static KeycloakEndpoints of(URI issuer) {
    String base = issuer.toString().replaceAll("/+$", "");
    String oidc = base + "/protocol/openid-connect";
    return new KeycloakEndpoints(
        URI.create(base),
        URI.create(oidc + "/auth"),
        URI.create(oidc + "/token"),
        URI.create(oidc + "/certs"),
        URI.create(oidc + "/userinfo"),
        URI.create(oidc + "/logout"),
        URI.create(base + "/.well-known/openid-configuration"));
  }
}
