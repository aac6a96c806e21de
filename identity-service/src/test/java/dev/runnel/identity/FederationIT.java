package dev.runnel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.testkit.TestTokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;

/** Federation settings land in the realm as configured; secrets go in and never come out. */
class FederationIT extends IdentityStack {

  @Test
  void anLdapFederationIsStoredInTheRealmAndItsCredentialNeverAnswered() {
    try {
      ldapRoundTrip();
    } finally {
      // The realm is shared: an unreachable directory must not stay in the way of user lookups.
      ldapComponents().forEach(c -> realm().components().component(c.getId()).remove());
    }
  }

  private void ldapRoundTrip() {
    Map<String, Object> ldap =
        Map.of(
            "connectionUrl", "ldaps://ldap.example.test:636",
            "usersDn", "ou=people,dc=example,dc=test",
            "bindDn", "cn=runnel,dc=example,dc=test",
            "bindCredential", "bind-secret-123");
    web.put()
        .uri("/api/identity/v1/federation/ldap")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(ldap)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(
            body ->
                assertThat(body)
                    .contains("ldaps://ldap.example.test:636")
                    .contains("\"editMode\":\"READ_ONLY\"")
                    .doesNotContain("bind-secret-123"));

    ComponentRepresentation stored = ldapComponent();
    assertThat(stored.getProviderId()).isEqualTo("ldap");
    assertThat(stored.getConfig().getFirst("connectionUrl"))
        .isEqualTo("ldaps://ldap.example.test:636");
    assertThat(stored.getConfig().getFirst("usersDn")).isEqualTo("ou=people,dc=example,dc=test");
    assertThat(stored.getConfig().getFirst("bindDn")).isEqualTo("cn=runnel,dc=example,dc=test");
    assertThat(stored.getConfig().getFirst("editMode")).isEqualTo("READ_ONLY");
    assertThat(stored.getConfig().getFirst("usernameLDAPAttribute")).isEqualTo("uid");

    // An update without the credential keeps it, and there is still one component.
    web.put()
        .uri("/api/identity/v1/federation/ldap")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(
            Map.of(
                "connectionUrl", "ldaps://ldap2.example.test",
                "usersDn", "ou=people,dc=example,dc=test",
                "bindDn", "cn=runnel,dc=example,dc=test"))
        .exchange()
        .expectStatus()
        .isOk();
    assertThat(ldapComponent().getConfig().getFirst("connectionUrl"))
        .isEqualTo("ldaps://ldap2.example.test");
    assertThat(ldapComponent().getConfig().getFirst("bindCredential")).isNotBlank();

    web.get()
        .uri("/api/identity/v1/federation/ldap")
        .headers(
            h ->
                h.setBearerAuth(
                    TestTokens.get().user("aud").platformRole("platform-auditor").mint()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).doesNotContain("bindCredential"));

    web.put()
        .uri("/api/identity/v1/federation/ldap")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("connectionUrl", "http://not-ldap.example.test", "usersDn", "ou=x"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("connectionUrl");
    web.put()
        .uri("/api/identity/v1/federation/ldap")
        .headers(
            h ->
                h.setBearerAuth(
                    TestTokens.get().user("aud").platformRole("platform-auditor").mint()))
        .bodyValue(ldap)
        .exchange()
        .expectStatus()
        .isForbidden();

    web.delete()
        .uri("/api/identity/v1/federation/ldap")
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isNoContent();
    assertThat(ldapComponents()).isEmpty();
    web.get()
        .uri("/api/identity/v1/federation/ldap")
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  @Test
  void anOidcIdentityProviderIsStoredInTheRealmAndItsSecretNeverAnswered() {
    String alias = unique("corp");
    web.put()
        .uri("/api/identity/v1/federation/oidc/{a}", alias)
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(
            Map.of(
                "displayName", "Corporate SSO",
                "issuer", "https://sso.example.test/realms/corp",
                "authorizationUrl", "https://sso.example.test/auth",
                "tokenUrl", "https://sso.example.test/token",
                "jwksUrl", "https://sso.example.test/certs",
                "clientId", "runnel",
                "clientSecret", "oidc-secret-456"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains(alias).doesNotContain("oidc-secret-456"));

    IdentityProviderRepresentation stored =
        realm().identityProviders().get(alias).toRepresentation();
    assertThat(stored.getProviderId()).isEqualTo("oidc");
    assertThat(stored.getDisplayName()).isEqualTo("Corporate SSO");
    assertThat(stored.isEnabled()).isTrue();
    assertThat(stored.getConfig())
        .containsEntry("authorizationUrl", "https://sso.example.test/auth")
        .containsEntry("tokenUrl", "https://sso.example.test/token")
        .containsEntry("issuer", "https://sso.example.test/realms/corp")
        .containsEntry("clientId", "runnel")
        .containsEntry("pkceEnabled", "true");

    web.get()
        .uri("/api/identity/v1/federation/oidc")
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains(alias).doesNotContain("oidc-secret-456"));

    web.put()
        .uri("/api/identity/v1/federation/oidc/{a}", "Bad Alias")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(
            Map.of(
                "authorizationUrl", "https://sso.example.test/auth",
                "tokenUrl", "https://sso.example.test/token",
                "clientId", "runnel",
                "clientSecret", "x"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("alias");
    web.put()
        .uri("/api/identity/v1/federation/oidc/{a}", unique("nosecret"))
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(
            Map.of(
                "authorizationUrl", "javascript:alert(1)",
                "tokenUrl", "https://sso.example.test/token",
                "clientId", "runnel"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("authorizationUrl");

    web.delete()
        .uri("/api/identity/v1/federation/oidc/{a}", alias)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isNoContent();
    assertThat(realm().identityProviders().findAll())
        .extracting(IdentityProviderRepresentation::getAlias)
        .doesNotContain(alias);
  }

  private static ComponentRepresentation ldapComponent() {
    List<ComponentRepresentation> found = ldapComponents();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static List<ComponentRepresentation> ldapComponents() {
    return realm()
        .components()
        .query(
            realm().toRepresentation().getId(),
            "org.keycloak.storage.UserStorageProvider",
            "runnel-ldap");
  }
}
