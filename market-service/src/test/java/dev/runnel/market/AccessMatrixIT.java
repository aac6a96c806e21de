package dev.runnel.market;

import static dev.runnel.testkit.AccessMatrix.Caller.ANONYMOUS;
import static dev.runnel.testkit.AccessMatrix.Caller.OTHER_TEAM_ADMIN;
import static dev.runnel.testkit.AccessMatrix.Caller.PLATFORM_ADMIN;
import static dev.runnel.testkit.AccessMatrix.Caller.TEAM_ADMIN;

import dev.runnel.testkit.AccessMatrix;
import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TestTokens;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Who may call what on market-service: every operation of its OpenAPI document, as every kind of
 * caller. A new endpoint without a row here fails this test.
 */
@RunnelInfra
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class AccessMatrixIT {
  private static final String DB = TestPostgres.get().freshDatabase("market");

  @Autowired WebTestClient web;
  private final AccessMatrix matrix = new AccessMatrix();

  @DynamicPropertySource
  static void infra(DynamicPropertyRegistry registry) {
    RunnelTestInfra.register(registry::add, DB);
  }

  private String category() {
    Map<String, Object> created =
        web.post()
            .uri("/api/market/v1/categories")
            .headers(h -> h.setBearerAuth(TestTokens.get().admin()))
            .bodyValue(Map.of("name", "Matrix " + UUID.randomUUID()))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    return "/api/market/v1/categories/" + created.get("id");
  }

  @BeforeEach
  void rows() {
    // Categories are platform-wide: everyone signed in reads, platform-admin changes.
    matrix.row("GET", "/api/market/v1/categories").expect(ANONYMOUS, 401).otherwise(200);
    matrix
        .row("POST", "/api/market/v1/categories")
        .body(c -> "{\"name\":\"Matrix " + UUID.randomUUID() + "\"}")
        .expect(PLATFORM_ADMIN, 201)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
    matrix
        .row("GET", "/api/market/v1/categories/{id}")
        .path(c -> category())
        .expect(ANONYMOUS, 401)
        .otherwise(200);
    matrix
        .row("PUT", "/api/market/v1/categories/{id}")
        .path(c -> category())
        .body(c -> "{\"name\":\"Renamed " + UUID.randomUUID() + "\"}")
        .expect(PLATFORM_ADMIN, 200)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
    matrix
        .row("DELETE", "/api/market/v1/categories/{id}")
        .path(c -> category())
        .expect(PLATFORM_ADMIN, 204)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
  }

  /** A chart of the matrix's own team, published fresh for each caller that may delete it. */
  private String publishedChart() {
    String version = "1.0." + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000);
    org.springframework.http.client.MultipartBodyBuilder body =
        new org.springframework.http.client.MultipartBodyBuilder();
    body.part("chart", dev.runnel.market.chart.Tgz.chart("matrix-chart", version).bytes())
        .filename("matrix-chart.tgz");
    body.part("team", dev.runnel.testkit.AccessMatrix.OWN_TEAM);
    web.mutate()
        .responseTimeout(java.time.Duration.ofSeconds(60))
        .build()
        .post()
        .uri("/api/market/v1/charts")
        .headers(h -> h.setBearerAuth(TestTokens.get().admin()))
        .contentType(org.springframework.http.MediaType.MULTIPART_FORM_DATA)
        .body(
            org.springframework.web.reactive.function.BodyInserters.fromMultipartData(body.build()))
        .exchange()
        .expectStatus()
        .isCreated();
    return "/api/market/v1/charts/matrix-chart/" + version;
  }

  @BeforeEach
  void chartRows() {
    // The market is readable by everyone signed in; an unknown version is a 404 to all of them
    // (details of real versions: ChartDetailsIT).
    matrix
        .row("GET", "/api/market/v1/apps/{repository}/{name}/versions/{version}")
        .path("/api/market/v1/apps/nowhere/matrix/versions/1.0.0")
        .expect(ANONYMOUS, 401)
        .otherwise(404);
    matrix
        .row("GET", "/api/market/v1/apps/{repository}/{name}/versions/{version}/form")
        .path("/api/market/v1/apps/nowhere/matrix/versions/1.0.0/form")
        .expect(ANONYMOUS, 401)
        .otherwise(404);
    matrix
        .row("GET", "/api/market/v1/apps/{repository}/{name}/upgrade")
        .path("/api/market/v1/apps/nowhere/matrix/upgrade?from=1.0.0&to=2.0.0")
        .expect(ANONYMOUS, 401)
        .otherwise(404);
    // Published charts are listed to everyone signed in (the catalog shows them all).
    matrix.row("GET", "/api/market/v1/charts").expect(ANONYMOUS, 401).otherwise(200);
    matrix.exclude(
        "POST",
        "/api/market/v1/charts",
        "a multipart upload; who may publish is PublishChartsIT.onlyTeamAdminsAndPlatformAdminsPublish");
    // ChartMuseum upload without a package: publishers reach the package check (400 empty),
    // everyone else is refused before the body is read.
    matrix
        .row("POST", "/api/charts")
        .expect(PLATFORM_ADMIN, 400)
        .expect(TEAM_ADMIN, 400)
        .expect(OTHER_TEAM_ADMIN, 400)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
    // A published chart is visible to all, so another team's admin gets 403, not 404.
    matrix
        .row("DELETE", "/api/market/v1/charts/{name}/{version}")
        .path(c -> publishedChart())
        .expect(PLATFORM_ADMIN, 204)
        .expect(TEAM_ADMIN, 204)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
  }

  @Test
  void everyOperationHasARow() {
    matrix.assertComplete(web);
  }

  @Test
  void everyRowHolds() {
    matrix.assertHolds(web);
  }
}
