package dev.runnel.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runnel.deploy.support.FixtureMarket;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import dev.runnel.sandbox.faults.PodMatcher;
import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * deploy-service on a simulated cluster (kube-sandbox, zero pod-ready delay) with the fixture
 * charts served by a stand-in market, shared by the integration tests that extend it: one sandbox,
 * one market, one database and (through Spring's context cache) one running service per test JVM,
 * with one cluster registered. Pods of {@link #BROKEN_IMAGE} never pull.
 */
@RunnelInfra
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
abstract class DeployOnSandbox {
  static final String DB = TestPostgres.get().freshDatabase("deploy");
  static final Duration WAIT = Duration.ofSeconds(120);
  static final String BROKEN_IMAGE = "docker.io/bitnami/nginx-broken";
  private static final String SECRET_KEY = newKey();
  static KubeSandbox sandbox;
  static FixtureMarket market;
  static String cluster;

  @Autowired WebTestClient web;

  static Path fixtures() {
    String dir = System.getProperty("runnel.fixtures", "../../shared/fixtures");
    return Path.of(dir).resolve("helm-repo");
  }

  @BeforeAll
  static void startClusterOnce() {
    assumeTrue(
        Files.isDirectory(fixtures()),
        "fixture charts not found at " + fixtures().toAbsolutePath() + "; set runnel.fixtures");
    start();
  }

  /**
   * Started once per JVM and closed when it exits: the service in the shared Spring context keeps
   * using them from one test class to the next.
   */
  private static synchronized void start() {
    if (sandbox != null) {
      return;
    }
    try {
      sandbox = KubeSandbox.start(SandboxOptions.defaults().withPodReadyDelay(Duration.ZERO));
      sandbox.faults().imagePullFailure(PodMatcher.image(BROKEN_IMAGE));
      market = FixtureMarket.start(fixtures());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KubeSandbox startedSandbox = sandbox;
    FixtureMarket startedMarket = market;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  startedMarket.close();
                  startedSandbox.close();
                }));
  }

  @DynamicPropertySource
  static void infra(DynamicPropertyRegistry registry) {
    RunnelTestInfra.register(registry::add, DB);
    registry.add("runnel.deploy.secret-key", () -> SECRET_KEY);
    registry.add("runnel.deploy.market-url", () -> market.url());
    registry.add("runnel.deploy.operations.health-timeout", () -> "60s");
    // Team namespaces are reconciled on a short beat here, so tests wait for it briefly.
    registry.add("runnel.deploy.teams.reconcile-interval", () -> "300ms");
    registry.add("runnel.deploy.teams.first-retry-pause", () -> "1s");
    registry.add("runnel.deploy.teams.longest-retry-pause", () -> "5s");
    registry.add("runnel.deploy.health.unreachable-after", () -> "3s");
    registry.add("runnel.deploy.health.cluster-refresh", () -> "1s");
  }

  @BeforeEach
  void registerClusterOnce() {
    web = web.mutate().responseTimeout(WAIT).build();
    if (cluster == null) {
      cluster = registerCluster("sandbox");
    }
  }

  /** Registers the sandbox once more under a fresh name, as platform-admin. */
  String registerCluster(String prefix) {
    String name = prefix + "-" + shortId();
    web.post()
        .uri("/api/deploy/v1/clusters")
        .headers(h -> h.setBearerAuth(TestTokens.get().admin()))
        .bodyValue(Map.of("name", name, "kubeconfig", sandbox.kubeconfig()))
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody()
        .jsonPath("$.simulated")
        .isEqualTo(true)
        .jsonPath("$.nodeCount")
        .isEqualTo(3)
        .jsonPath("$.kubeconfig")
        .doesNotExist();
    return name;
  }

  static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** Follows the operation's SSE stream, as the caller with {@code token}, to its final state. */
  Map<String, Object> awaitFinished(String operationId, String token) {
    Flux<ServerSentEvent<Map<String, Object>>> stream =
        web.get()
            .uri("/api/deploy/v1/operations/{id}/events", operationId)
            .headers(h -> h.setBearerAuth(token))
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {})
            .getResponseBody();
    AtomicReference<Map<String, Object>> last = new AtomicReference<>();
    StepVerifier.create(
            stream
                .map(ServerSentEvent::data)
                .filter(
                    op -> List.of("succeeded", "failed", "cancelled").contains(op.get("status")))
                .next())
        .consumeNextWith(last::set)
        .expectComplete()
        .verify(WAIT);
    return last.get();
  }
}
