package dev.runnel.gateway.login;

import dev.runnel.testkit.TestKeycloak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The test's hand on the real Keycloak: its admin REST API (to fit the gateway client to the test's
 * gateway, to add users and integrations) and its token endpoints (bearer tokens for API clients,
 * token introspection).
 */
public final class KeycloakAdmin {
  public static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final TestKeycloak keycloak;

  public KeycloakAdmin(TestKeycloak keycloak) {
    this.keycloak = keycloak;
  }

  /**
   * Lets the gateway client redirect to any loopback port (the test gateway's port is random) and
   * gives its access tokens {@code lifespanSeconds}, short enough to see them renewed.
   */
  void fitGatewayClient(int lifespanSeconds) {
    String admin = adminToken();
    String clients = keycloak.baseUrl() + "/admin/realms/runnel/clients";
    JsonNode found =
        JSON.readTree(
            send(
                HttpRequest.newBuilder(URI.create(clients + "?clientId=runnel-gateway"))
                    .header("Authorization", "Bearer " + admin)
                    .GET(),
                200));
    ObjectNode client = (ObjectNode) found.get(0);
    client.putArray("redirectUris").add("http://127.0.0.1:*");
    ObjectNode attributes = (ObjectNode) client.get("attributes");
    attributes.put("access.token.lifespan", String.valueOf(lifespanSeconds));
    attributes.put("post.logout.redirect.uris", "http://127.0.0.1:*");
    send(
        HttpRequest.newBuilder(URI.create(clients + "/" + client.get("id").asString()))
            .header("Authorization", "Bearer " + admin)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(client))),
        204);
  }

  /** A bearer token as an API client (the CLI's password grant) gets it from {@code issuer}. */
  String passwordGrant(String issuer, String username, String password) {
    String body =
        send(
            form(
                issuer + "/protocol/openid-connect/token",
                Map.of(
                    "grant_type",
                    "password",
                    "client_id",
                    "runnel-cli",
                    "username",
                    username,
                    "password",
                    password)),
            200);
    return JSON.readTree(body).get("access_token").asString();
  }

  /** The ids of the user's Keycloak sessions (the {@code sid} claim of their tokens). */
  public java.util.List<String> sessionsOf(String username) {
    String admin = adminToken();
    String users = keycloak.baseUrl() + "/admin/realms/runnel/users";
    JsonNode user =
        JSON.readTree(
                send(
                    HttpRequest.newBuilder(URI.create(users + "?exact=true&username=" + username))
                        .header("Authorization", "Bearer " + admin)
                        .GET(),
                    200))
            .get(0);
    JsonNode sessions =
        JSON.readTree(
            send(
                HttpRequest.newBuilder(
                        URI.create(users + "/" + user.get("id").asString() + "/sessions"))
                    .header("Authorization", "Bearer " + admin)
                    .GET(),
                200));
    java.util.List<String> ids = new java.util.ArrayList<>();
    sessions.forEach(s -> ids.add(s.get("id").asString()));
    return ids;
  }

  /**
   * A new user of the runnel realm with no roles: enabled, with a verified email and a full
   * profile, so nothing stands between the password and a token.
   */
  public void createUser(String username, String password) {
    String admin = adminToken();
    String user =
        JSON.writeValueAsString(
            Map.of(
                "username",
                username,
                "enabled",
                true,
                "email",
                username + "@runnel.invalid",
                "emailVerified",
                true,
                "firstName",
                "Test",
                "lastName",
                "User",
                "credentials",
                java.util.List.of(
                    Map.of("type", "password", "value", password, "temporary", false))));
    send(
        HttpRequest.newBuilder(URI.create(keycloak.baseUrl() + "/admin/realms/runnel/users"))
            .header("Authorization", "Bearer " + admin)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(user)),
        201);
  }

  /**
   * A confidential client with a service account and the given secret, as identity-service creates
   * an integration (client-credentials grant only).
   */
  public void createIntegration(String clientId, String secret) {
    String admin = adminToken();
    String client =
        JSON.writeValueAsString(
            Map.of(
                "clientId",
                clientId,
                "enabled",
                true,
                "protocol",
                "openid-connect",
                "publicClient",
                false,
                "clientAuthenticatorType",
                "client-secret",
                "secret",
                secret,
                "serviceAccountsEnabled",
                true,
                "standardFlowEnabled",
                false,
                "directAccessGrantsEnabled",
                false));
    send(
        HttpRequest.newBuilder(URI.create(keycloak.baseUrl() + "/admin/realms/runnel/clients"))
            .header("Authorization", "Bearer " + admin)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(client)),
        201);
  }

  /** The claims of a JWT, read without checking it (the services check it; tests read it). */
  public static JsonNode claims(String jwt) {
    String[] parts = jwt.split("\\.");
    return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
  }

  private String adminToken() {
    String body =
        send(
            form(
                keycloak.baseUrl() + "/realms/master/protocol/openid-connect/token",
                Map.of(
                    "grant_type",
                    "password",
                    "client_id",
                    "admin-cli",
                    "username",
                    keycloak.masterAdminUsername(),
                    "password",
                    keycloak.masterAdminPassword())),
            200);
    return JSON.readTree(body).get("access_token").asString();
  }

  private static HttpRequest.Builder form(String uri, Map<String, String> fields) {
    String body =
        fields.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return HttpRequest.newBuilder(URI.create(uri))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static String send(HttpRequest.Builder request, int expected) {
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new AssertionError(
            request.build().uri() + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
