package dev.runnel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.identity.keycloak.KeycloakAdmin;
import dev.runnel.identity.keycloak.KeycloakProperties;
import dev.runnel.identity.realm.RealmBootstrap;
import dev.runnel.identity.realm.RealmProperties;
import dev.runnel.testkit.TestKeycloak;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import reactor.test.StepVerifier;

/**
 * The bootstrap against the real Keycloak: a new realm from nothing, and no duplicates on rerun.
 */
class RealmBootstrapIT {
  private static final String POLICY = "length(14) and notUsername and digits(1)";
  private static final String CONSOLE = "https://console.example.test";
  // The imported realm is shared with the other tests of this JVM: bootstrap it as the service
  // itself does, with the defaults.
  private static final String DEFAULT_POLICY = "length(12) and notUsername and notEmail";
  private static final String DEFAULT_CONSOLE = "http://127.0.0.1:8080";

  @Test
  void aNewRealmIsCreatedAndASecondRunChangesNothing() {
    String realmName = "boot-" + UUID.randomUUID().toString().substring(0, 8);
    try (KeycloakAdmin admin = admin(realmName)) {
      RealmBootstrap bootstrap =
          new RealmBootstrap(admin, properties("secret-" + realmName, POLICY, CONSOLE));

      StepVerifier.create(bootstrap.apply()).verifyComplete();
      StepVerifier.create(bootstrap.apply()).verifyComplete();

      assertRealmAsConfigured(realm(realmName), "secret-" + realmName, POLICY, CONSOLE);
    }
  }

  @Test
  void theImportedRealmIsBroughtUpToDateWithoutDuplicates() {
    TestKeycloak k = TestKeycloak.get();
    try (KeycloakAdmin admin = admin("runnel")) {
      RealmBootstrap bootstrap =
          new RealmBootstrap(
              admin, properties(k.gatewayClientSecret(), DEFAULT_POLICY, DEFAULT_CONSOLE));
      StepVerifier.create(bootstrap.apply()).verifyComplete();
      StepVerifier.create(bootstrap.apply()).verifyComplete();
      assertRealmAsConfigured(
          realm("runnel"), k.gatewayClientSecret(), DEFAULT_POLICY, DEFAULT_CONSOLE);
      // What the import put there and the bootstrap does not own is kept: the first admin.
      assertThat(realm("runnel").users().searchByUsername(k.adminUsername(), true)).hasSize(1);
    }
  }

  private static void assertRealmAsConfigured(
      RealmResource realm, String gatewaySecret, String policy, String console) {
    assertThat(realm.toRepresentation().getPasswordPolicy()).isEqualTo(policy);
    assertThat(realm.toRepresentation().isRegistrationAllowed()).isFalse();
    List<String> roles = realm.roles().list().stream().map(RoleRepresentation::getName).toList();
    for (String role : RealmBootstrap.ROLES) {
      assertThat(roles).filteredOn(role::equals).hasSize(1);
    }
    List<GroupRepresentation> top = realm.groups().groups();
    assertThat(top).filteredOn(g -> g.getName().equals("teams")).hasSize(1);

    List<ClientRepresentation> gateway = realm.clients().findByClientId("runnel-gateway");
    assertThat(gateway).hasSize(1);
    ClientRepresentation g = gateway.get(0);
    assertThat(g.isPublicClient()).isFalse();
    assertThat(g.isStandardFlowEnabled()).isTrue();
    assertThat(g.getRedirectUris()).containsExactly(console + "/*");
    assertThat(g.getWebOrigins()).containsExactly(console);
    assertThat(g.getAttributes()).containsEntry("pkce.code.challenge.method", "S256");
    assertThat(realm.clients().get(g.getId()).getSecret().getValue()).isEqualTo(gatewaySecret);
    assertThat(realm.clients().get(g.getId()).getProtocolMappers().getMappers())
        .filteredOn(m -> m.getProtocolMapper().equals("oidc-group-membership-mapper"))
        .hasSize(1);

    for (String name : RealmBootstrap.OPTIONAL_PROFILE_ATTRIBUTES) {
      assertThat(realm.users().userProfile().getConfiguration().getAttribute(name).getRequired())
          .as("%s is optional, as in the platform's API", name)
          .isNull();
    }

    List<ClientRepresentation> cli = realm.clients().findByClientId("runnel-cli");
    assertThat(cli).hasSize(1);
    assertThat(cli.get(0).isPublicClient()).isTrue();
    assertThat(cli.get(0).getAttributes())
        .containsEntry("oauth2.device.authorization.grant.enabled", "true");
    assertThat(realm.clients().get(cli.get(0).getId()).getProtocolMappers().getMappers())
        .filteredOn(m -> m.getProtocolMapper().equals("oidc-group-membership-mapper"))
        .hasSize(1);
  }

  private static RealmProperties properties(String gatewaySecret, String policy, String console) {
    return new RealmProperties(
        true,
        "runnel-gateway",
        console,
        gatewaySecret,
        "runnel-cli",
        true,
        policy,
        Duration.ofSeconds(1));
  }

  static KeycloakAdmin admin(String realm) {
    TestKeycloak k = TestKeycloak.get();
    return new KeycloakAdmin(
        new KeycloakProperties(
            k.baseUrl(),
            realm,
            "master",
            "admin-cli",
            k.masterAdminUsername(),
            k.masterAdminPassword(),
            null,
            "runnel-cli",
            Duration.ofSeconds(3),
            Duration.ofSeconds(30),
            50,
            Duration.ofSeconds(15)));
  }

  private static RealmResource realm(String name) {
    TestKeycloak k = TestKeycloak.get();
    Keycloak keycloak =
        Keycloak.getInstance(
            k.baseUrl(), "master", k.masterAdminUsername(), k.masterAdminPassword(), "admin-cli");
    return keycloak.realm(name);
  }
}
