package dev.runnel.cli.up;

import dev.runnel.cli.auth.OidcClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks deploy-service, as the platform admin, whether it registered the cluster {@code local}, so
 * that the summary says what is true rather than what was intended.
 */
final class LocalClusterCheck {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private LocalClusterCheck() {}

  /** What deploy-service knows of {@code local}, waiting up to {@code timeout} for it. */
  static String describe(Layout layout, Secrets secrets, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    String last = "no answer";
    try {
      String token = adminToken(layout, secrets);
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:"
                          + layout.servicePort("deploy")
                          + "/api/deploy/v1/clusters/local"))
              .header("Authorization", "Bearer " + token)
              .timeout(Duration.ofSeconds(5))
              .build();
      while (Instant.now().isBefore(deadline)) {
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          JsonNode c = JSON.readTree(r.body());
          return "registered with deploy-service as `local` ("
              + (c.path("simulated").asBoolean() ? "simulated" : "real")
              + ", Kubernetes "
              + c.path("kubernetesVersion").asString("?")
              + ", "
              + c.path("nodeCount").asInt()
              + " nodes)";
        }
        last = "HTTP " + r.statusCode();
        Thread.sleep(1000);
      }
    } catch (IOException e) {
      last = e.getMessage();
    } catch (RuntimeException e) {
      // The admin's sign-in refused by Keycloak (OidcClient's AuthException): say so, don't fail
      // up.
      last = e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      last = "interrupted";
    }
    return "NOT registered with deploy-service yet ("
        + last
        + "; see "
        + layout.logs().resolve("deploy-service.log")
        + ")";
  }

  private static String adminToken(Layout layout, Secrets secrets)
      throws IOException, InterruptedException {
    return new OidcClient(layout.keycloakIssuer())
        .password(secrets.adminUsername(), secrets.adminPassword())
        .accessToken();
  }
}
