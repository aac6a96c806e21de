package dev.runnel.identity;

import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestKafka;
import dev.runnel.testkit.TestKeycloak;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TopicRecorder;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * identity-service on real PostgreSQL, Kafka and Keycloak (the server distribution with the runnel
 * realm imported). Every test class extending this shares one application context and one Keycloak.
 */
@RunnelInfra
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT2M")
public abstract class IdentityStack {
  protected static final String DB = TestPostgres.get().freshDatabase("identity");
  protected static final Duration EVENT_WAIT = Duration.ofSeconds(30);
  protected static final ParameterizedTypeReference<Map<String, Object>> JSON_MAP =
      new ParameterizedTypeReference<>() {};
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  protected static TopicRecorder events;
  private static Keycloak keycloakAdmin;

  @Autowired protected WebTestClient web;

  @DynamicPropertySource
  static void infra(DynamicPropertyRegistry registry) {
    register(registry);
  }

  /** Database, Kafka, test tokens and the test Keycloak's admin access. */
  public static void register(DynamicPropertyRegistry registry) {
    RunnelTestInfra.register(registry::add, DB);
    TestKeycloak keycloak = TestKeycloak.get();
    registry.add("runnel.identity.keycloak.url", keycloak::baseUrl);
    registry.add("runnel.identity.keycloak.admin-username", keycloak::masterAdminUsername);
    registry.add("runnel.identity.keycloak.admin-password", keycloak::masterAdminPassword);
    registry.add("runnel.identity.realm.gateway-client-secret", keycloak::gatewayClientSecret);
    // Tests drive the reconciler themselves (KeycloakTeamSync.reconcile) instead of waiting.
    registry.add("runnel.identity.sync.interval", () -> "0s");
  }

  @BeforeAll
  static void recordEvents() {
    events = new TopicRecorder(TestKafka.get().bootstrapServers(), "runnel.identity");
  }

  @AfterAll
  static void stopRecording() {
    events.close();
  }

  /** Keycloak's admin API as the test's own window into the realm. */
  protected static RealmResource realm() {
    if (keycloakAdmin == null) {
      TestKeycloak k = TestKeycloak.get();
      keycloakAdmin =
          Keycloak.getInstance(
              k.baseUrl(), "master", k.masterAdminUsername(), k.masterAdminPassword(), "admin-cli");
    }
    return keycloakAdmin.realm("runnel");
  }

  protected static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a user through the API as a platform admin; answers the user's JSON. */
  protected Map<String, Object> createUser(String username, String password, String... roles) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("username", username);
    body.put("email", username + "@example.com");
    body.put("firstName", "Test");
    body.put("lastName", "User");
    if (password != null) {
      body.put("password", password);
      body.put("temporaryPassword", false);
    }
    body.put("platformRoles", java.util.List.of(roles));
    return web.post()
        .uri("/api/identity/v1/users")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody(JSON_MAP)
        .returnResult()
        .getResponseBody();
  }

  protected Map<String, Object> createTeam(String name) {
    return web.post()
        .uri("/api/identity/v1/teams")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("name", name, "displayName", "Team " + name))
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody(JSON_MAP)
        .returnResult()
        .getResponseBody();
  }

  protected static String admin() {
    return dev.runnel.testkit.TestTokens.get().admin();
  }

  /** A token request to the runnel realm; answers status and JSON body. */
  protected static TokenAnswer token(Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(TestKeycloak.get().issuer() + "/protocol/openid-connect/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new TokenAnswer(response.statusCode(), JSON.readTree(response.body()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The claims of a JWT, read without checking the signature (Keycloak issued it to us). */
  protected static JsonNode claims(String jwt) {
    String payload = jwt.split("\\.")[1];
    return JSON.readTree(
        new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
  }

  protected record TokenAnswer(int status, JsonNode body) {}
}
