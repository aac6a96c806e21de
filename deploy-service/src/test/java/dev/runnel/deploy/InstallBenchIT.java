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
import java.time.Instant;
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
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Benchmark, run by {@code bench/deploy-install.sh} (skipped unless {@code -Drunnel.bench=true}):
 * the platform's own overhead from {@code POST /instances} to the operation's "succeeded" (the
 * instance Healthy) for the nginx fixture chart on a sandbox with zero pod-ready delay, sequential
 * installs after warm-up, then the same for wordpress with its subcharts, then {@code
 * runnel.bench.parallel} (200) nginx installs started at once. Prints p50/p95/max of each.
 */
@RunnelInfra
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class InstallBenchIT {
  static final String DB = DeployServiceUnderTest.freshDatabase();
  static final String SECRET_KEY = DeployServiceUnderTest.newSecretKey();
  static final int WARMUP = Integer.getInteger("runnel.bench.warmup", 3);
  static final int RUNS = Integer.getInteger("runnel.bench.runs", 20);
  static final int WORDPRESS_RUNS = Integer.getInteger("runnel.bench.wordpress-runs", 10);
  static final int PARALLEL = Integer.getInteger("runnel.bench.parallel", 200);
  // Room for every pod the run creates: 3 default nodes (12 CPUs) hold about 120 nginx pods at
  // their 100m request, fewer than the warm-up, sequential and parallel runs create together, and
  // a full cluster measures pods left Pending, not the platform.
  static final int NODES = Integer.getInteger("runnel.bench.nodes", 40);
  static KubeSandbox sandbox;
  static FixtureMarket market;

  @Autowired WebTestClient web;
  @LocalServerPort int port;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(Boolean.getBoolean("runnel.bench"), "benchmark: run bench/deploy-install.sh");
    Path repo = DeployServiceUnderTest.fixtureCharts();
    assumeTrue(Files.isDirectory(repo), "fixture charts not found at " + repo.toAbsolutePath());
    sandbox =
        KubeSandbox.start(
            SandboxOptions.defaults().withNodes(NODES).withPodReadyDelay(Duration.ZERO));
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
  void installsToHealthyOneAfterTheOtherAndAllAtOnce() {
    web = web.mutate().responseTimeout(Duration.ofMinutes(2)).build();
    String admin = TestTokens.get().admin();
    web.post()
        .uri("/api/deploy/v1/clusters")
        .headers(h -> h.setBearerAuth(admin))
        .bodyValue(Map.of("name", "bench", "kubeconfig", sandbox.kubeconfig()))
        .exchange()
        .expectStatus()
        .isCreated();
    List<Long> nginx = sequential(admin, "nginx", "22.1.1", RUNS);
    print(
        "nginx install -> Healthy, zero pod-ready delay, %d nodes, %d sequential runs after %d warm-up"
            .formatted(NODES, RUNS, WARMUP),
        nginx);
    List<Long> wordpress = sequential(admin, "wordpress", "27.0.0", WORDPRESS_RUNS);
    print(
        ("wordpress (with its mariadb and memcached subcharts) install -> Healthy, %d sequential"
                + " runs after %d warm-up")
            .formatted(WORDPRESS_RUNS, WARMUP),
        wordpress);
    parallel(admin);
  }

  /**
   * Installs one after the other; the time of each after the warm-up ones. Also prints the median
   * of each phase, read from the operations' own times, to show where an install's time goes.
   */
  private List<Long> sequential(String admin, String chart, String version, int runs) {
    List<Long> millis = new ArrayList<>();
    Map<String, List<Long>> phases = new java.util.LinkedHashMap<>();
    for (int i = 0; i < WARMUP + runs; i++) {
      long t0 = System.nanoTime();
      Instant requested = Instant.now();
      String id = start(admin, chart, version);
      long accepted = (System.nanoTime() - t0) / 1_000_000;
      Map<String, Object> end = awaitEndOperation(admin, id);
      Instant seen = Instant.now();
      assertThat(end.get("status")).isEqualTo("succeeded");
      if (i >= WARMUP) {
        millis.add((System.nanoTime() - t0) / 1_000_000);
        phases.computeIfAbsent("request to 202", k -> new ArrayList<>()).add(accepted);
        phaseTimes(end, requested, seen)
            .forEach((k, v) -> phases.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
      }
    }
    StringBuilder line = new StringBuilder("BENCH phases of " + chart + " (median ms):");
    phases.forEach(
        (k, v) -> {
          Collections.sort(v);
          line.append(' ').append(k).append(' ').append(percentile(v, 50)).append(';');
        });
    System.out.println();
    System.out.println(line);
    Collections.sort(millis);
    return millis;
  }

  /** Phases of one finished operation, from its stored times (the same clock as the test's). */
  @SuppressWarnings("unchecked")
  private static Map<String, Long> phaseTimes(
      Map<String, Object> op, Instant requested, Instant seen) {
    Map<String, Long> phases = new java.util.LinkedHashMap<>();
    Instant created = Instant.parse((String) op.get("createdAt"));
    Instant started = Instant.parse((String) op.get("startedAt"));
    Instant finished = Instant.parse((String) op.get("finishedAt"));
    phases.put("request to stored", Duration.between(requested, created).toMillis());
    phases.put("stored to running", Duration.between(created, started).toMillis());
    Instant last = started;
    for (Map<String, Object> step : (List<Map<String, Object>>) op.get("steps")) {
      Instant from = Instant.parse((String) step.get("startedAt"));
      Instant to = Instant.parse((String) step.get("finishedAt"));
      String name =
          ((String) step.get("name")).replaceAll(" [0-9(].*| on cluster.*| namespace.*", "");
      phases.merge(name, Duration.between(from, to).toMillis(), Long::sum);
      last = to;
    }
    phases.put("commit", Duration.between(last, finished).toMillis());
    phases.put("finished to seen", Duration.between(finished, seen).toMillis());
    return phases;
  }

  /**
   * {@code PARALLEL} installs requested at once, each timed from its request to its end; prints
   * their spread, the wall time for all, and how many did not succeed (with the first reasons).
   */
  private void parallel(String admin) {
    WebClient client =
        WebClient.builder()
            .baseUrl("http://127.0.0.1:" + port)
            .defaultHeaders(h -> h.setBearerAuth(admin))
            .build();
    long t0 = System.nanoTime();
    List<Map<String, Object>> ends =
        Flux.range(0, PARALLEL)
            .flatMap(
                i -> {
                  long started = System.nanoTime();
                  return client
                      .post()
                      .uri("/api/deploy/v1/instances")
                      .bodyValue(installBody("nginx", "22.1.1"))
                      .retrieve()
                      .bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {})
                      .flatMap(
                          op ->
                              client
                                  .get()
                                  .uri("/api/deploy/v1/operations/{id}/events", op.get("id"))
                                  .accept(MediaType.TEXT_EVENT_STREAM)
                                  .retrieve()
                                  .bodyToFlux(
                                      new ParameterizedTypeReference<
                                          ServerSentEvent<Map<String, Object>>>() {})
                                  .map(ServerSentEvent::data)
                                  .filter(
                                      o ->
                                          !List.of("queued", "pending", "running")
                                              .contains(o.get("status")))
                                  .next())
                      .map(
                          o -> {
                            Map<String, Object> end = new HashMap<>(o);
                            end.put("millis", (System.nanoTime() - started) / 1_000_000);
                            return end;
                          })
                      .onErrorResume(
                          e ->
                              Mono.just(
                                  Map.of(
                                      "status",
                                      "request failed",
                                      "error",
                                      String.valueOf(e.getMessage()),
                                      "millis",
                                      (System.nanoTime() - started) / 1_000_000)));
                },
                PARALLEL)
            .collectList()
            .block(Duration.ofMinutes(20));
    long wall = (System.nanoTime() - t0) / 1_000_000;
    List<Long> millis = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Map<String, Object> end : ends) {
      millis.add(((Number) end.get("millis")).longValue());
      if (!"succeeded".equals(end.get("status"))) {
        failures.add(end.get("status") + ": " + end.getOrDefault("error", end.get("message")));
      }
    }
    Collections.sort(millis);
    print(
        "%d nginx installs requested at once: each from its request to its end (all in %,d ms,"
                .formatted(PARALLEL, wall)
            + " %d did not succeed)".formatted(failures.size()),
        millis);
    failures.stream().distinct().limit(5).forEach(f -> System.out.println("  failed: " + f));
    assertThat(ends).hasSize(PARALLEL);
  }

  private String start(String admin, String chart, String version) {
    Map<String, Object> op =
        web.post()
            .uri("/api/deploy/v1/instances")
            .headers(h -> h.setBearerAuth(admin))
            .bodyValue(installBody(chart, version))
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    return (String) op.get("id");
  }

  private static Map<String, Object> installBody(String chart, String version) {
    Map<String, Object> body = new HashMap<>();
    body.put("cluster", "bench");
    body.put("namespace", "bench");
    body.put("team", "bench");
    body.put("name", chart.substring(0, 2) + "-" + UUID.randomUUID().toString().substring(0, 8));
    body.put("repository", "fixtures");
    body.put("chart", chart);
    body.put("version", version);
    return body;
  }

  private Map<String, Object> awaitEndOperation(String admin, String operation) {
    return web.get()
        .uri("/api/deploy/v1/operations/{id}/events", operation)
        .headers(h -> h.setBearerAuth(admin))
        .accept(MediaType.TEXT_EVENT_STREAM)
        .exchange()
        .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {})
        .getResponseBody()
        .map(ServerSentEvent::data)
        .filter(o -> !List.of("queued", "pending", "running").contains(o.get("status")))
        .next()
        .block(Duration.ofMinutes(2));
  }

  private static void print(String title, List<Long> sorted) {
    System.out.printf(
        "%nBENCH %s:%n| p50 | p95 | max |%n|---|---|---|%n| %d ms | %d ms | %d ms |%n",
        title, percentile(sorted, 50), percentile(sorted, 95), sorted.get(sorted.size() - 1));
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
