package dev.runnel.market;

import static org.awaitility.Awaitility.await;

import dev.runnel.market.local.LocalCharts;
import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestKafka;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * What the market's catalog ITs share, so that they share one application context: the database,
 * Kafka, test tokens, chart repositories on loopback HTTP ({@link FixtureRepositoryServer}) and the
 * charts "published" into {@code local}.
 */
@RunnelInfra
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "120s")
@org.springframework.context.annotation.Import(MarketItSupport.PublishedCharts.class)
abstract class MarketItSupport {
  static final String DB = TestPostgres.get().freshDatabase("market");
  static final Duration WAIT = Duration.ofSeconds(60);
  static final ParameterizedTypeReference<Map<String, Object>> MAP =
      new ParameterizedTypeReference<>() {};
  static final AtomicInteger NAMES = new AtomicInteger();
  static FixtureRepositoryServer server;
  static TopicRecorder events;

  @Autowired protected WebTestClient web;

  @DynamicPropertySource
  static void infra(DynamicPropertyRegistry registry) {
    RunnelTestInfra.register(registry::add, DB);
    registry.add("runnel.market.secret-key", () -> "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
    registry.add("runnel.market.index-max-bytes", () -> "1048576");
    registry.add("runnel.market.scheduler-tick", () -> "1s");
    registry.add("runnel.market.icon-allow-private-addresses", () -> "true");
    registry.add("runnel.market.fetch-timeout", () -> "20s");
  }

  @BeforeAll
  static void start() throws IOException {
    server = new FixtureRepositoryServer(FixtureRepositoryServer.helmRepo());
    events = new TopicRecorder(TestKafka.get().bootstrapServers(), "runnel.market");
  }

  @AfterAll
  static void stop() {
    server.close();
    events.close();
  }

  /** Index entries a test "publishes" into local after the start, below nginx 22.1.1. */
  static final java.util.concurrent.atomic.AtomicReference<String> MORE_LOCAL =
      new java.util.concurrent.atomic.AtomicReference<>("");

  /** The charts "published" into local: nginx 22.1.1, the fixture's package. */
  @TestConfiguration
  static class PublishedCharts {
    // Preferred over the real publishing store (LocalChartsIndex), so that these tests control
    // what `local` holds.
    @Bean
    @org.springframework.context.annotation.Primary
    LocalCharts localCharts() {
      return new LocalCharts() {
        @Override
        public Mono<byte[]> index() {
          return Mono.fromCallable(
              () ->
                  ("apiVersion: v1\nentries:\n  nginx:\n  - name: nginx\n    version: 22.1.1\n"
                          + "    apiVersion: v2\n    description: Published NGINX\n"
                          + "    digest: "
                          + sha256(fixture("nginx-22.1.1.tgz"))
                          + "\n    urls:\n    - nginx-22.1.1.tgz\n"
                          + MORE_LOCAL.get())
                      .getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Mono<byte[]> packageOf(String name, String version) {
          return "nginx".equals(name) && "22.1.1".equals(version)
              ? Mono.fromCallable(() -> fixture("nginx-22.1.1.tgz"))
              : Mono.empty();
        }
      };
    }
  }

  static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(FixtureRepositoryServer.helmRepo().resolve(name));
  }

  static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static String admin() {
    return TestTokens.get().admin();
  }

  static String viewer() {
    return TestTokens.get().user("viewer").teamRole("acme", "team-viewer").mint();
  }

  static String uniqueName(String prefix) {
    return prefix + "-" + NAMES.incrementAndGet() + "-" + (System.nanoTime() % 100000);
  }

  WebTestClient.ResponseSpec add(String name, Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>(extra);
    body.put("name", name);
    return web.post()
        .uri("/api/market/v1/repositories")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(body)
        .exchange();
  }

  Map<String, Object> addOk(String name, String url) {
    return add(name, Map.of("url", url))
        .expectStatus()
        .isCreated()
        .expectBody(MAP)
        .returnResult()
        .getResponseBody();
  }

  Map<String, Object> get(String uri, String token) {
    return web.get()
        .uri(uri)
        .headers(h -> h.setBearerAuth(token))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(MAP)
        .returnResult()
        .getResponseBody();
  }

  long count(String sql) {
    return ((Number) TestPostgres.get().queryOne(DB, sql)).longValue();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> items(Map<String, Object> page) {
    return (List<Map<String, Object>>) page.get("items");
  }

  Map<String, Object> awaitOperation(String id) {
    List<Map<String, Object>> last = new ArrayList<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Map<String, Object> o = get("/api/market/v1/operations/" + id, viewer());
              last.add(0, o);
              return "succeeded".equals(o.get("status")) || "failed".equals(o.get("status"));
            });
    return last.get(0);
  }

  Map<String, Object> syncNow(String name) {
    Map<String, Object> accepted =
        web.post()
            .uri("/api/market/v1/repositories/{n}/sync", name)
            .headers(h -> h.setBearerAuth(admin()))
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(MAP)
            .returnResult()
            .getResponseBody();
    return awaitOperation((String) accepted.get("id"));
  }

  static String index(String app, String... versions) {
    StringBuilder b = new StringBuilder("apiVersion: v1\nentries:\n  " + app + ":\n");
    for (String v : versions) {
      b.append("  - name: ")
          .append(app)
          .append("\n    version: ")
          .append(v)
          .append("\n    description: Demo app\n    keywords: [demo]\n    urls: [")
          .append(app)
          .append("-")
          .append(v)
          .append(".tgz]\n");
    }
    return b.toString();
  }
}
