package dev.runnel.market;

import static dev.runnel.testkit.AccessMatrix.Caller.ANONYMOUS;
import static dev.runnel.testkit.AccessMatrix.Caller.PLATFORM_ADMIN;

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

  @Test
  void everyOperationHasARow() {
    matrix.assertComplete(web);
  }

  @Test
  void everyRowHolds() {
    matrix.assertHolds(web);
  }
}
