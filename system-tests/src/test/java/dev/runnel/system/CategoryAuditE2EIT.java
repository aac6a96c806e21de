package dev.runnel.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.embedded.ServiceProcess;
import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform as a user meets it: gateway, market-service and audit-service each in its own JVM
 * from its runnable jar, on a real PostgreSQL and a real Kafka broker, spoken to over HTTP through
 * the gateway only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CategoryAuditE2EIT {
  private static final Duration START = Duration.ofMinutes(3);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static ServiceProcess market;
  private static ServiceProcess audit;
  private static ServiceProcess gateway;

  @BeforeAll
  static void startThePlatform() {
    Path logs = Path.of(System.getProperty("runnel.logs", "target/service-logs"));
    String marketDb = TestPostgres.get().freshDatabase("market_e2e");
    String auditDb = TestPostgres.get().freshDatabase("audit_e2e");
    market =
        ServiceProcess.start(
            "market-service", jar("market"), logs, RunnelTestInfra.arguments(marketDb));
    audit =
        ServiceProcess.start(
            "audit-service", jar("audit"), logs, RunnelTestInfra.arguments(auditDb));
    List<String> gatewayArgs = new ArrayList<>();
    RunnelTestInfra.registerTokens((k, v) -> gatewayArgs.add("--" + k + "=" + v.get()));
    gatewayArgs.add("--runnel.gateway.services.market.uri=" + market.baseUrl());
    gatewayArgs.add("--runnel.gateway.services.audit.uri=" + audit.baseUrl());
    gateway = ServiceProcess.start("gateway", jar("gateway"), logs, gatewayArgs);
    // Start-up is the slow part; wait for the three together.
    CompletableFuture.allOf(
            CompletableFuture.runAsync(() -> market.awaitReady(START)),
            CompletableFuture.runAsync(() -> audit.awaitReady(START)),
            CompletableFuture.runAsync(() -> gateway.awaitReady(START)))
        .join();
  }

  @AfterAll
  static void stopThePlatform() {
    for (ServiceProcess p : new ServiceProcess[] {gateway, audit, market}) {
      if (p != null) {
        p.close();
      }
    }
  }

  private static Path jar(String name) {
    String path = System.getProperty("runnel.jar." + name);
    if (path == null) {
      throw new IllegalStateException("runnel.jar." + name + " is not set; run through Maven");
    }
    return Path.of(path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static HttpRequest.Builder viaGateway(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  @Test
  @Order(1)
  void aCategoryCreatedThroughTheGatewayAppearsInTheAuditTrail() {
    String name = "E2E " + UUID.randomUUID();
    HttpResponse<String> created =
        send(
            viaGateway("/api/market/v1/categories", TestTokens.get().admin())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = JSON.readTree(created.body()).get("id").asString();

    String auditor = TestTokens.get().user("audrey").platformRole("platform-auditor").mint();
    JsonNode record = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (record == null && System.nanoTime() < deadline) {
      HttpResponse<String> page = send(viaGateway("/api/audit/v1/events?subject=" + id, auditor));
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      JsonNode items = JSON.readTree(page.body()).get("items");
      if (items.size() > 0) {
        record = items.get(0);
      } else {
        pause();
      }
    }
    assertThat(record).as("the audit record of category %s", id).isNotNull();
    assertThat(record.get("type").asString()).isEqualTo("runnel.market.category.created.v1");
    assertThat(record.get("subject").asString()).isEqualTo(id);
    assertThat(record.get("actor").asString()).isEqualTo("admin");
    assertThat(record.get("source").asString()).isEqualTo("/runnel/market");
    assertThat(record.get("data").get("name").asString()).isEqualTo(name);
  }

  @Test
  @Order(2)
  void withoutATokenTheGatewayAnswers401AndTeamMembersCannotReadTheTrail() {
    HttpResponse<String> anonymous = send(viaGateway("/api/market/v1/categories", null));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));

    String member = TestTokens.get().user("mia").teamRole("acme", "team-member").mint();
    HttpResponse<String> denied = send(viaGateway("/api/audit/v1/events", member));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("\"status\":403");
  }

  @Test
  @Order(3)
  void whenAServiceIsDownTheGatewayAnswersA503Problem() {
    market.kill();
    HttpResponse<String> down =
        send(viaGateway("/api/market/v1/categories", TestTokens.get().admin()));
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(down.body()).contains("market").doesNotContain("Exception");

    // The other routes are unaffected.
    String auditor = TestTokens.get().user("audrey").platformRole("platform-auditor").mint();
    assertThat(send(viaGateway("/api/audit/v1/events?limit=1", auditor)).statusCode())
        .isEqualTo(200);
  }

  private static void pause() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
