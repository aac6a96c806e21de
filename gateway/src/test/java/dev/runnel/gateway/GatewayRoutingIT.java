package dev.runnel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestTokens;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/**
 * The gateway in front of real HTTP servers standing in for the services: market answers, deploy is
 * down, monitor and audit accept requests and never answer, identity answers only when many
 * requests arrive at once.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "runnel.gateway.timeout=5s",
      "runnel.gateway.services.monitor.timeout=500ms",
      "runnel.gateway.services.audit.timeout=500ms",
      "runnel.gateway.circuit-breaker.sliding-window-size=3",
      "runnel.gateway.circuit-breaker.minimum-number-of-calls=3",
      "runnel.gateway.circuit-breaker.failure-rate-threshold=50",
      "runnel.gateway.circuit-breaker.wait-in-open-state=10m"
    })
@AutoConfigureWebTestClient
class GatewayRoutingIT {
  private static final int BURST = 30;

  private static final FakeService market = FakeService.echoing();
  private static final FakeService silent = FakeService.hanging();
  private static final FakeService identity = FakeService.answeringOnceConcurrent(BURST);
  private static final String deployDown = FakeService.down();

  private final TestTokens tokens = TestTokens.get();

  @Autowired WebTestClient client;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    RunnelTestInfra.registerTokens(registry::add);
    registry.add("runnel.gateway.services.market.uri", market::uri);
    registry.add("runnel.gateway.services.deploy.uri", () -> deployDown);
    registry.add("runnel.gateway.services.monitor.uri", silent::uri);
    registry.add("runnel.gateway.services.audit.uri", silent::uri);
    registry.add("runnel.gateway.services.identity.uri", identity::uri);
  }

  @AfterAll
  static void stopServices() {
    market.close();
    silent.close();
    identity.close();
  }

  @Test
  void aRequestWithATokenReachesItsServiceWithTheSameTokenAndPath() {
    String token = tokens.user("ada").teamRole("acme", "team-member").mint();

    client
        .get()
        .uri("/api/market/v1/apps?category=databases")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .isEqualTo("GET /api/market/v1/apps?category=databases");

    assertThat(market.received("/api/market/v1/apps"))
        .singleElement()
        .satisfies(r -> assertThat(r.authorization()).isEqualTo("Bearer " + token));
  }

  @Test
  void aRequestWithoutAValidTokenIsRefusedAtTheGatewayAndNeverReachesTheService() {
    client
        .post()
        .uri("/api/market/v1/repositories")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"name\":\"bitnami\"}")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://runnel.dev/problems/unauthenticated")
        .jsonPath("$.instance")
        .isEqualTo("/api/market/v1/repositories");
    client
        .get()
        .uri("/api/market/v1/repositories")
        .header(
            HttpHeaders.AUTHORIZATION,
            "Bearer " + tokens.user("mallory").signedWithForeignKey().mint())
        .exchange()
        .expectStatus()
        .isUnauthorized();

    assertThat(market.received("/api/market/v1/repositories")).isEmpty();
  }

  @Test
  void aServiceThatIsDownIsA503ProblemNamingIt() {
    client
        .get()
        .uri("/api/deploy/v1/instances")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.admin())
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://runnel.dev/problems/unavailable")
        .jsonPath("$.title")
        .isEqualTo("Service unavailable")
        .jsonPath("$.status")
        .isEqualTo(503)
        .jsonPath("$.detail")
        .isEqualTo("The deploy service cannot be reached; try again shortly")
        .jsonPath("$.instance")
        .isEqualTo("/api/deploy/v1/instances")
        .jsonPath("$.service")
        .isEqualTo("deploy");
  }

  @Test
  void aServiceThatDoesNotAnswerWithinItsRoutesTimeLimitIsA503Problem() {
    client
        .post()
        .uri("/api/monitor/v1/alert-rules")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.admin())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"name\":\"cpu\"}")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("The monitor service did not answer in time; try again shortly")
        .jsonPath("$.instance")
        .isEqualTo("/api/monitor/v1/alert-rules");

    assertThat(silent.received("/api/monitor/v1/alert-rules")).hasSize(1);
  }

  @Test
  void afterRepeatedFailuresTheCircuitOpensAndTheServiceIsNoLongerCalled() {
    String token = tokens.admin();
    for (int i = 0; i < 3; i++) {
      client
          .get()
          .uri("/api/audit/v1/trail")
          .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
          .exchange()
          .expectStatus()
          .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
          .expectBody()
          .jsonPath("$.detail")
          .isEqualTo("The audit service did not answer in time; try again shortly");
    }
    assertThat(silent.received("/api/audit/")).hasSize(3);

    client
        .get()
        .uri("/api/audit/v1/trail")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo(
            "The audit service failed repeatedly; the gateway stops calling it for a while;"
                + " try again shortly");

    assertThat(silent.received("/api/audit/")).hasSize(3);
  }

  @Test
  void aBurstOfConcurrentRequestsIsPassedOnWhole() {
    String token = tokens.admin();
    // Enough client connections for the whole burst at once: the default pool would queue some.
    ConnectionProvider connections =
        ConnectionProvider.builder("burst").maxConnections(BURST).build();
    WebClient burstClient =
        WebClient.builder()
            .baseUrl("http://127.0.0.1:" + port)
            .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
            .build();

    Flux<HttpStatus> statuses =
        Flux.range(0, BURST)
            .flatMap(
                i ->
                    burstClient
                        .get()
                        .uri("/api/identity/v1/teams/{i}", i)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                        .retrieve()
                        .toBodilessEntity()
                        .map(ResponseEntity::getStatusCode)
                        .map(status -> HttpStatus.valueOf(status.value())),
                BURST);

    StepVerifier.create(statuses.collectList().doFinally(signal -> connections.dispose()))
        .assertNext(all -> assertThat(all).hasSize(BURST).containsOnly(HttpStatus.OK))
        .verifyComplete();
  }

  @Test
  void swaggerUiIsPublicAtApiDocsAndListsEveryServicesDocument() {
    client
        .get()
        .uri("/api/docs")
        .exchange()
        .expectStatus()
        .isFound()
        .expectHeader()
        .location("/api/docs/swagger-ui.html");
    client
        .get()
        .uri("/api/docs/swagger-ui.html")
        .exchange()
        .expectStatus()
        .isFound()
        .expectHeader()
        .valueMatches(HttpHeaders.LOCATION, "/api/docs/swagger-ui/index\\.html.*");
    client
        .get()
        .uri("/api/docs/swagger-ui/index.html")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.TEXT_HTML)
        .expectBody(String.class)
        .value(html -> assertThat(html).contains("swagger-ui"));

    client
        .get()
        .uri("/v3/api-docs/swagger-config")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.urls[*].url")
        .value(
            (List<String> urls) ->
                assertThat(urls)
                    .containsExactlyInAnyOrder(
                        "/api/market/v3/api-docs",
                        "/api/deploy/v3/api-docs",
                        "/api/monitor/v3/api-docs",
                        "/api/audit/v3/api-docs",
                        "/api/identity/v3/api-docs",
                        "/v3/api-docs"));
  }

  @Test
  void aServicesOpenApiDocumentIsFetchedThroughTheGatewayWithTheCallersToken() {
    String token = tokens.user("ada").mint();
    client.get().uri("/api/market/v3/api-docs").exchange().expectStatus().isUnauthorized();

    client
        .get()
        .uri("/api/market/v3/api-docs")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .isEqualTo("GET /v3/api-docs");

    assertThat(market.received("/v3/api-docs"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.authorization()).isEqualTo("Bearer " + token);
              assertThat(r.forwardedPrefix()).isNull();
            });
  }

  @Test
  void theFallbackIsNotReachableFromOutside() {
    client.get().uri("/fallback/market").exchange().expectStatus().isUnauthorized();
    client
        .get()
        .uri("/fallback/market")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.admin())
        .exchange()
        .expectStatus()
        .isForbidden();
  }

  @Test
  void theChartRepositoryIsServedByMarketThroughTheGatewayWithTheCallersToken() {
    String token = tokens.user("ada").mint();
    client.get().uri("/charts/index.yaml").exchange().expectStatus().isUnauthorized();

    client
        .get()
        .uri("/charts/index.yaml")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .isEqualTo("GET /charts/index.yaml");
    client
        .get()
        .uri("/charts/wordpress-1.2.3.tgz")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .isEqualTo("GET /charts/wordpress-1.2.3.tgz");
  }

  @Test
  void aChartUploadMayBeLargerThanAJsonBodyButNotLargerThanItsOwnLimit() {
    String token = tokens.user("ada").teamRole("acme", "team-admin").mint();
    byte[] chart = new byte[1024 * 1024];
    // Megabytes through two hops on a machine shared with other builds take their time.
    WebTestClient client = this.client.mutate().responseTimeout(Duration.ofSeconds(60)).build();

    client
        .post()
        .uri("/api/market/v1/charts")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .bodyValue(chart)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .isEqualTo("POST /api/market/v1/charts");

    client
        .post()
        .uri("/api/market/v1/repositories")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .bodyValue(new byte[300 * 1024])
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://runnel.dev/problems/payload-too-large")
        .jsonPath("$.detail")
        .isEqualTo("The request body has 307200 bytes; this endpoint accepts at most 262144 bytes");

    client
        .post()
        .uri("/api/market/v1/charts")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .bodyValue(new byte[10 * 1024 * 1024 + 1])
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE);

    assertThat(market.received("/api/market/v1/repositories")).isEmpty();
    assertThat(market.received("/api/market/v1/charts")).hasSize(1);
  }
}
