package dev.runnel.testkit;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What every Runnel service must do from its first day: open probes and nothing else open, problems
 * for errors, its about document, OpenAPI 3.1, metrics for admins only. A service's integration
 * test extends this and supplies its client and name.
 */
public abstract class ServiceBaselineContract {

  protected abstract WebTestClient web();

  /** The service's short name: {@code market}, {@code deploy}, ... */
  protected abstract String service();

  @Test
  void probesAnswerWithoutAToken() {
    web().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    web()
        .get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
  }

  @Test
  void itsApiNeedsAToken() {
    web()
        .get()
        .uri("/api/" + service() + "/v1/about")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void itsAboutDocumentNamesItAndItsSchema() {
    web()
        .get()
        .uri("/api/" + service() + "/v1/about")
        .headers(h -> h.setBearerAuth(TestTokens.get().user("someone").mint()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.service")
        .isEqualTo(service())
        .jsonPath("$.topic")
        .isEqualTo("runnel." + service())
        .jsonPath("$.schemaVersion")
        .exists();
  }

  @Test
  void anUnknownPathIsANotFoundProblem() {
    web()
        .get()
        .uri("/api/" + service() + "/v1/no-such-thing")
        .headers(h -> h.setBearerAuth(TestTokens.get().admin()))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void itDescribesItselfInOpenApi31() {
    web()
        .get()
        .uri("/v3/api-docs")
        .headers(h -> h.setBearerAuth(TestTokens.get().admin()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.openapi")
        .value(v -> org.assertj.core.api.Assertions.assertThat((String) v).startsWith("3.1"));
  }

  @Test
  void metricsAreForPlatformAdminsAndAuditors() {
    web()
        .get()
        .uri("/actuator/prometheus")
        .headers(
            h ->
                h.setBearerAuth(TestTokens.get().user("ada").teamRole("acme", "team-admin").mint()))
        .exchange()
        .expectStatus()
        .isForbidden();
    web()
        .get()
        .uri("/actuator/prometheus")
        .headers(
            h ->
                h.setBearerAuth(
                    TestTokens.get().user("audrey").platformRole("platform-auditor").mint()))
        .exchange()
        .expectStatus()
        .isOk();
  }
}
