package dev.runnel.market;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.testkit.TestTokens;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The catalog as users meet it: search and filters with pagination, categories from annotations and
 * the admin mapping, icons, packages with their digest, the built-in repository and the market's
 * own Helm repository under {@code /charts}.
 */
class CatalogIT extends MarketItSupport {

  @Test
  void searchRanksNameMatchesFirstFiltersByRepositoryAndPagesWithCursors() {
    String name = uniqueName("search");
    addOk(name, server.url("/repo"));
    Map<String, Object> page = get("/api/market/v1/apps?q=redis&repository=" + name, viewer());
    assertThat(items(page)).extracting(a -> a.get("name")).first().isEqualTo("redis");
    Map<String, Object> byKeyword =
        get("/api/market/v1/apps?q=reverse proxy&repository=" + name, viewer());
    assertThat(items(byKeyword)).extracting(a -> a.get("name")).containsExactly("nginx");
    Map<String, Object> byDescription =
        get("/api/market/v1/apps?q=blog&repository=" + name, viewer());
    assertThat(items(byDescription)).extracting(a -> a.get("name")).contains("wordpress");
    Map<String, Object> none =
        get("/api/market/v1/apps?q='; drop table catalog_app;--&repository=" + name, viewer());
    assertThat(items(none)).isEmpty();

    List<Object> seen = new java.util.ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Map<String, Object> p =
          get(
              "/api/market/v1/apps?limit=3&repository="
                  + name
                  + (cursor == null ? "" : "&cursor=" + cursor),
              viewer());
      items(p).forEach(a -> seen.add(a.get("name")));
      cursor = (String) p.get("nextCursor");
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(seen).containsExactly("common", "nginx", "redis", "wordpress");
    assertThat(pages).isEqualTo(2);

    web.get()
        .uri("/api/market/v1/apps?cursor=bm9wZQ")
        .headers(h -> h.setBearerAuth(viewer()))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("cursor");
    web.get()
        .uri("/api/market/v1/apps?limit=1000")
        .headers(h -> h.setBearerAuth(viewer()))
        .exchange()
        .expectStatus()
        .isBadRequest();
  }

  @Test
  void appsAreFiledUnderCategoriesByAnnotationAndByTheAdminsMapping() {
    String category = "Web Servers " + System.nanoTime();
    web.post()
        .uri("/api/market/v1/categories")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("name", category))
        .exchange()
        .expectStatus()
        .isCreated();
    String name = uniqueName("cats");
    server.put(
        "/" + name + "/index.yaml",
        "apiVersion: v1\nentries:\n  caddy:\n  - name: caddy\n    version: 1.0.0\n"
            + "    annotations:\n      artifacthub.io/category: \""
            + category
            + "\"\n"
            + "  haproxy:\n  - name: haproxy\n    version: 2.0.0\n    keywords: [loadbalancer]\n");
    addOk(name, server.url("/" + name));
    Map<String, Object> filed =
        get("/api/market/v1/apps?repository=" + name + "&category=" + category, viewer());
    assertThat(items(filed)).extracting(a -> a.get("name")).containsExactly("caddy");
    assertThat(items(filed).get(0).get("categories")).isEqualTo(List.of(category));

    web.put()
        .uri("/api/market/v1/category-mappings")
        .headers(h -> h.setBearerAuth(viewer()))
        .bodyValue(Map.of("mappings", List.of()))
        .exchange()
        .expectStatus()
        .isForbidden();
    web.put()
        .uri("/api/market/v1/category-mappings")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(
            Map.of(
                "mappings",
                List.of(Map.of("kind", "keyword", "value", "LoadBalancer", "category", "No Such"))))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("mappings[0].category");
    web.put()
        .uri("/api/market/v1/category-mappings")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(
            Map.of(
                "mappings",
                List.of(Map.of("kind", "keyword", "value", "LoadBalancer", "category", category))))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[0].value")
        .isEqualTo("loadbalancer");
    Map<String, Object> mapped =
        get("/api/market/v1/apps?repository=" + name + "&category=" + category, viewer());
    assertThat(items(mapped))
        .extracting(a -> a.get("name"))
        .containsExactlyInAnyOrder("caddy", "haproxy");
    web.put()
        .uri("/api/market/v1/category-mappings")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("mappings", List.of()))
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void packagesComeWithTheirDigestAndATamperedPackageIsRefused() throws Exception {
    String name = uniqueName("pkg");
    addOk(name, server.url("/repo"));
    byte[] expected = fixture("nginx-22.1.1.tgz");
    byte[] body =
        web.get()
            .uri("/api/market/v1/apps/{r}/nginx/versions/22.1.1/package", name)
            .headers(h -> h.setBearerAuth(viewer()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType("application/gzip")
            .expectHeader()
            .valueEquals("X-Runnel-Chart-Digest", "sha256:" + sha256(expected))
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    assertThat(body).isEqualTo(expected);
    int before = server.requests();
    web.get()
        .uri("/api/market/v1/apps/{r}/nginx/versions/22.1.1/package", name)
        .headers(h -> h.setBearerAuth(viewer()))
        .exchange()
        .expectStatus()
        .isOk();
    assertThat(server.requests()).as("served from the cache").isEqualTo(before);

    web.get()
        .uri("/api/market/v1/apps/{r}/nginx/versions/9.9.9/package", name)
        .headers(h -> h.setBearerAuth(viewer()))
        .exchange()
        .expectStatus()
        .isNotFound();

    String tampered = uniqueName("tampered");
    server.put(
        "/" + tampered + "/index.yaml",
        "apiVersion: v1\nentries:\n  nginx:\n  - name: nginx\n    version: 22.1.1\n    digest: "
            + "0".repeat(64)
            + "\n    urls: [nginx-22.1.1.tgz]\n");
    server.put("/" + tampered + "/nginx-22.1.1.tgz", "application/gzip", expected);
    addOk(tampered, server.url("/" + tampered));
    web.get()
        .uri("/api/market/v1/apps/{r}/nginx/versions/22.1.1/package", tampered)
        .headers(h -> h.setBearerAuth(viewer()))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.BAD_GATEWAY)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://runnel.dev/problems/package-digest-mismatch");
  }

  @Test
  void iconsAreFetchedOnceCheckedAndServedByTheMarket() {
    byte[] png =
        Base64.getDecoder()
            .decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    String name = uniqueName("icons");
    server.put("/" + name + "/logo.png", "image/png", png);
    server.put(
        "/" + name + "/fake.png",
        "image/png",
        "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
    server.put(
        "/" + name + "/index.yaml",
        "apiVersion: v1\nentries:\n"
            + "  good:\n  - {name: good, version: 1.0.0, icon: '"
            + server.url("/" + name + "/logo.png")
            + "'}\n"
            + "  bad:\n  - {name: bad, version: 1.0.0, icon: '"
            + server.url("/" + name + "/fake.png")
            + "'}\n");
    addOk(name, server.url("/" + name));
    Map<String, Object> good = get("/api/market/v1/apps/" + name + "/good", viewer());
    @SuppressWarnings("unchecked")
    Map<String, Object> app = (Map<String, Object>) good.get("app");
    assertThat(app.get("icon")).isEqualTo("/api/market/v1/apps/" + name + "/good/icon");
    for (int i = 0; i < 2; i++) {
      web.get()
          .uri((String) app.get("icon"))
          .headers(h -> h.setBearerAuth(viewer()))
          .exchange()
          .expectStatus()
          .isOk()
          .expectHeader()
          .contentType(MediaType.IMAGE_PNG)
          .expectHeader()
          .valueEquals("X-Content-Type-Options", "nosniff")
          .expectBody(byte[].class)
          .isEqualTo(png);
    }
    web.get()
        .uri("/api/market/v1/apps/{r}/bad/icon", name)
        .headers(h -> h.setBearerAuth(viewer()))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.BAD_GATEWAY)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://runnel.dev/problems/icon-unavailable");
  }

  @Test
  void theBuiltInRepositoryHoldsThePublishedChartsAndServesTheirPackages() throws Exception {
    Map<String, Object> local = get("/api/market/v1/repositories/local", viewer());
    assertThat(local).containsEntry("builtin", true);
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                get("/api/market/v1/repositories/local", viewer())
                    .get("sync")
                    .toString()
                    .contains("apps=1"));
    byte[] body =
        web.get()
            .uri("/api/market/v1/apps/local/nginx/versions/22.1.1/package")
            .headers(h -> h.setBearerAuth(viewer()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    assertThat(body).isEqualTo(fixture("nginx-22.1.1.tgz"));
  }

  @Test
  void theMarketIsAHelmRepositoryOverEveryRepository() throws Exception {
    String name = uniqueName("helm");
    addOk(name, server.url("/repo"));
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                get("/api/market/v1/repositories/local", viewer())
                    .get("sync")
                    .toString()
                    .contains("apps=1"));
    String index =
        web.get()
            .uri("/charts/index.yaml")
            .headers(h -> h.setBearerAuth(viewer()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    Map<String, Object> parsed = new org.yaml.snakeyaml.Yaml().load(index);
    assertThat(parsed).containsEntry("apiVersion", "v1");
    @SuppressWarnings("unchecked")
    Map<String, List<Map<String, Object>>> entries =
        (Map<String, List<Map<String, Object>>>) parsed.get("entries");
    assertThat(entries.get("nginx").get(0)).containsEntry("description", "Published NGINX");
    assertThat(entries.get(name + "-nginx").get(0))
        .containsEntry("name", name + "-nginx")
        .containsEntry("urls", List.of(name + "-nginx-22.1.1.tgz"));

    byte[] expected = fixture("nginx-22.1.1.tgz");
    for (String file : List.of("nginx-22.1.1.tgz", name + "-nginx-22.1.1.tgz")) {
      web.get()
          .uri("/charts/" + file)
          .headers(h -> h.setBearerAuth(viewer()))
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody(byte[].class)
          .isEqualTo(expected);
    }
    web.get()
        .uri("/charts/nothing-1.0.0.tgz")
        .headers(h -> h.setBearerAuth(viewer()))
        .exchange()
        .expectStatus()
        .isNotFound();
    web.get()
        .uri("/charts/index.yaml")
        .headers(
            h ->
                h.setBearerAuth(
                    TestTokens.get()
                        .user("x")
                        .expiresAt(java.time.Instant.now().minusSeconds(300))
                        .mint()))
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }

  @Test
  void aChartPublishedEventResyncsTheBuiltInRepository() throws Exception {
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                get("/api/market/v1/repositories/local", viewer())
                    .get("sync")
                    .toString()
                    .contains("apps=1"));
    MORE_LOCAL.set(
        "  - name: nginx\n    version: 22.1.2\n    apiVersion: v2\n"
            + "    description: Published NGINX\n    urls:\n    - nginx-22.1.2.tgz\n");
    java.util.Map<String, Object> config =
        java.util.Map.of(
            "bootstrap.servers", dev.runnel.testkit.TestKafka.get().bootstrapServers(),
            "key.serializer", org.apache.kafka.common.serialization.StringSerializer.class,
            "value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class);
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(config)) {
      var record =
          new org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>(
              "runnel.market", "local/nginx", "{}".getBytes(StandardCharsets.UTF_8));
      for (String[] h :
          new String[][] {
            {"ce_specversion", "1.0"},
            {"ce_id", java.util.UUID.randomUUID().toString()},
            {"ce_type", "runnel.market.chart.published.v1"},
            {"ce_source", "/runnel/market"},
            {"ce_subject", "local/nginx"},
            {"content-type", "application/json"}
          }) {
        record.headers().add(h[0], h[1].getBytes(StandardCharsets.UTF_8));
      }
      producer.send(record).get();
    }
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                get("/api/market/v1/repositories/local", viewer())
                    .get("sync")
                    .toString()
                    .contains("versions=2"));
    Map<String, Object> details = get("/api/market/v1/apps/local/nginx", viewer());
    assertThat(details.get("versions").toString()).contains("22.1.2");
  }
}
