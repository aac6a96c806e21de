package dev.runnel.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The real Keycloak server from its distribution, with the runnel realm imported. */
class KeycloakServerIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ADMIN_PASSWORD = "pw-" + UUID.randomUUID();
  private static KeycloakServer keycloak;

  @BeforeAll
  static void start() {
    keycloak =
        KeycloakServer.start(
                Path.of(System.getProperty("runnel.keycloak.dist")),
                // A fresh home per run: an existing realm is never re-imported, so a home left by
                // an earlier run would keep that run's random admin password.
                Path.of(System.getProperty("runnel.keycloak.home"))
                    .resolve(UUID.randomUUID().toString()),
                0,
                0,
                "bootstrap",
                "bootstrap-" + UUID.randomUUID(),
                RunnelRealm.json(
                    "http://127.0.0.1:8080",
                    "secret-" + UUID.randomUUID(),
                    "admin",
                    ADMIN_PASSWORD))
            .awaitReady(Duration.ofMinutes(5));
  }

  @AfterAll
  static void stop() {
    if (keycloak != null) {
      keycloak.close();
      assertThat(keycloak.isAlive()).isFalse();
    }
  }

  private static HttpResponse<String> passwordGrant(String username, String password)
      throws Exception {
    String form =
        "grant_type=password&client_id=runnel-cli&scope=openid&username="
            + URLEncoder.encode(username, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8);
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(keycloak.issuer() + "/protocol/openid-connect/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theFirstAdminGetsATokenWithThePlatformAdminRole() throws Exception {
    HttpResponse<String> response = passwordGrant("admin", ADMIN_PASSWORD);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

    String accessToken = JSON.readTree(response.body()).get("access_token").asString();
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
    assertThat(claims.get("iss").asString()).isEqualTo(keycloak.issuer());
    assertThat(claims.get("preferred_username").asString()).isEqualTo("admin");
    assertThat(claims.get("realm_access").get("roles").toString()).contains("platform-admin");
    assertThat(claims.get("azp").asString()).isEqualTo("runnel-cli");
  }

  @Test
  void aWrongPasswordIsRefused() throws Exception {
    HttpResponse<String> refused = passwordGrant("admin", "not-" + ADMIN_PASSWORD);
    // RFC 6749 section 5.2: bad resource-owner credentials are a 400 invalid_grant.
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(refused.body()).get("error").asString()).isEqualTo("invalid_grant");
  }

  @Test
  void theRealmHasTheDeviceFlowForTheCli() throws Exception {
    HttpResponse<String> discovery =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(keycloak.issuer() + "/.well-known/openid-configuration"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(discovery.body()).has("device_authorization_endpoint")).isTrue();

    HttpResponse<String> device =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(keycloak.issuer() + "/protocol/openid-connect/auth/device"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("client_id=runnel-cli"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(device.statusCode()).as(device.body()).isEqualTo(200);
    assertThat(JSON.readTree(device.body()).has("user_code")).isTrue();
  }
}
