package dev.runnel.deploy;

import static dev.runnel.deploy.support.DeployServiceUnderTest.fixtureCharts;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runnel.deploy.support.DeployServiceUnderTest;
import dev.runnel.deploy.support.FixtureMarket;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import dev.runnel.sandbox.faults.PodMatcher;
import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

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
  static final String DB = DeployServiceUnderTest.freshDatabase();
  static final Duration WAIT = Duration.ofSeconds(120);
  static final String BROKEN_IMAGE = "docker.io/bitnami/nginx-broken";
  private static final String SECRET_KEY = DeployServiceUnderTest.newSecretKey();
  static KubeSandbox sandbox;
  static FixtureMarket market;
  static String cluster;

  @Autowired WebTestClient web;

  @BeforeAll
  static void startClusterOnce() {
    Path charts = fixtureCharts();
    assumeTrue(
        Files.isDirectory(charts),
        "fixture charts not found at " + charts.toAbsolutePath() + "; set runnel.fixtures");
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
      market = FixtureMarket.start(fixtureCharts());
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
    DeployServiceUnderTest.register(registry, DB, SECRET_KEY, () -> market.url());
    registry.add("runnel.deploy.operations.health-timeout", () -> "60s");
    // Few slots per cluster, so the tests that start several operations at once meet the queue.
    registry.add("runnel.deploy.operations.max-running-per-cluster", () -> "2");
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

  /** Follows the operation's SSE stream, as the caller with {@code token}, to its final state. */
  Map<String, Object> awaitFinished(String operationId, String token) {
    return DeployServiceUnderTest.awaitFinished(web, operationId, token, WAIT);
  }
}
