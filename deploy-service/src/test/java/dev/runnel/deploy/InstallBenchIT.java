package dev.runnel.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runnel.deploy.support.DeployServiceUnderTest;
import dev.runnel.deploy.support.FixtureMarket;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.TestTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

/**
 * Benchmark, run by {@code bench/deploy-install.sh} (skipped unless {@code -Drunnel.bench=true}):
 * the platform's own overhead from {@code POST /instances} to the operation's "succeeded" (the
 * instance Healthy) for the nginx fixture chart on a sandbox with zero pod-ready delay, sequential
 * installs after warm-up. Prints p50/p95/max.
 */
@RunnelInfra
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class InstallBenchIT {
  static final String DB = DeployServiceUnderTest.freshDatabase();
  static final String SECRET_KEY = DeployServiceUnderTest.newSecretKey();
  static final int WARMUP = Integer.getInteger("runnel.bench.warmup", 3);
  static final int RUNS = Integer.getInteger("runnel.bench.runs", 20);
  static KubeSandbox sandbox;
  static FixtureMarket market;

  @Autowired WebTestClient web;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(Boolean.getBoolean("runnel.bench"), "benchmark: run bench/deploy-install.sh");
    Path repo = DeployServiceUnderTest.fixtureCharts();
    assumeTrue(Files.isDirectory(repo), "fixture charts not found at " + repo.toAbsolutePath());
    sandbox = KubeSandbox.start(SandboxOptions.defaults().withPodReadyDelay(Duration.ZERO));
    market = FixtureMarket.start(repo);
  }

  @AfterAll
  static void stop() {
    if (market != null) {
      market.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @DynamicPropertySource
  static void infra(DynamicPropertyRegistry registry) {
    DeployServiceUnderTest.register(
        registry, DB, SECRET_KEY, () -> market == null ? "http://127.0.0.1:9" : market.url());
  }

  @Test
  void nginxInstallToHealthy() {
    web = web.mutate().responseTimeout(Duration.ofMinutes(2)).build();
    String admin = TestTokens.get().admin();
    web.post()
        .uri("/api/deploy/v1/clusters")
        .headers(h -> h.setBearerAuth(admin))
        .bodyValue(Map.of("name", "bench", "kubeconfig", sandbox.kubeconfig()))
        .exchange()
        .expectStatus()
        .isCreated();
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < WARMUP + RUNS; i++) {
      long t0 = System.nanoTime();
      Map<String, Object> body = new HashMap<>();
      body.put("cluster", "bench");
      body.put("namespace", "bench");
      body.put("team", "bench");
      body.put("name", "nginx-" + UUID.randomUUID().toString().substring(0, 8));
      body.put("repository", "fixtures");
      body.put("chart", "nginx");
      body.put("version", "22.1.1");
      Map<String, Object> op =
          web.post()
              .uri("/api/deploy/v1/instances")
              .headers(h -> h.setBearerAuth(admin))
              .bodyValue(body)
              .exchange()
              .expectStatus()
              .isAccepted()
              .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
              .returnResult()
              .getResponseBody();
      StepVerifier.create(
              web.get()
                  .uri("/api/deploy/v1/operations/{id}/events", op.get("id"))
                  .headers(h -> h.setBearerAuth(admin))
                  .accept(MediaType.TEXT_EVENT_STREAM)
                  .exchange()
                  .returnResult(
                      new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {})
                  .getResponseBody()
                  .map(ServerSentEvent::data)
                  .filter(o -> !List.of("pending", "running").contains(o.get("status")))
                  .next())
          .assertNext(o -> assertThat(o.get("status")).isEqualTo("succeeded"))
          .expectComplete()
          .verify(Duration.ofMinutes(2));
      if (i >= WARMUP) {
        millis.add((System.nanoTime() - t0) / 1_000_000);
      }
    }
    Collections.sort(millis);
    System.out.printf(
        "%nBENCH nginx install -> Healthy, zero pod-ready delay, %d sequential runs after %d"
            + " warm-up:%n| p50 | p95 | max |%n|---|---|---|%n| %d ms | %d ms | %d ms |%n",
        RUNS,
        WARMUP,
        percentile(millis, 50),
        percentile(millis, 95),
        millis.get(millis.size() - 1));
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
