package dev.runnel.market;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.market.chart.FixtureChartPackages;
import dev.runnel.market.chart.Fixtures;
import dev.runnel.market.chart.Tgz;
import dev.runnel.market.chart.domain.ChartArchiveReader;
import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TestTokens;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

@RunnelInfra
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(FixtureChartPackages.Config.class)
class ChartDetailsIT {
  private static final String DB = TestPostgres.get().freshDatabase("market");
  private static final String APPS = "/api/market/v1/apps";

  @Autowired WebTestClient web;
  @Autowired FixtureChartPackages packages;

  @DynamicPropertySource
  static void infra(DynamicPropertyRegistry registry) {
    RunnelTestInfra.register(registry::add, DB);
  }

  private static String viewer() {
    return TestTokens.get().user("vera").teamRole("acme", "team-viewer").mint();
  }

  private WebTestClient.ResponseSpec get(String path, Object... vars) {
    // A chart's README, values and schema together pass the 256 KiB the test client buffers by
    // default (the service sends them; the limit is the client's).
    return web.mutate()
        .codecs(c -> c.defaultCodecs().maxInMemorySize(8 << 20))
        .responseTimeout(java.time.Duration.ofSeconds(60))
        .build()
        .get()
        .uri(APPS + path, vars)
        .headers(h -> h.setBearerAuth(viewer()))
        .exchange();
  }

  @Test
  void detailsOfARealChartCarryEverythingAUserReadsBeforeInstalling() {
    String digest = ChartArchiveReader.sha256(Fixtures.chart("nginx-22.1.1.tgz"));
    get("/fixtures/nginx/versions/22.1.1")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.name")
        .isEqualTo("nginx")
        .jsonPath("$.appVersion")
        .isEqualTo("1.29.1")
        .jsonPath("$.installable")
        .isEqualTo(true)
        .jsonPath("$.digest")
        .isEqualTo(digest)
        .jsonPath("$.readme")
        .value(r -> assertThat((String) r).contains("NGINX"))
        .jsonPath("$.values")
        .value(v -> assertThat((String) v).contains("replicaCount: 1"))
        .jsonPath("$.valuesSchema")
        .value(s -> assertThat((String) s).contains("\"properties\""))
        .jsonPath("$.changelog[0].version")
        .isEqualTo("22.1.1")
        .jsonPath("$.changelog[0].description")
        .value(d -> assertThat((String) d).contains("checksum annotation"))
        .jsonPath("$.changelog[0].links[0].url")
        .isEqualTo("https://github.com/bitnami/charts/pull/36470")
        .jsonPath("$.dependencies[0].name")
        .isEqualTo("common")
        .jsonPath("$.dependencies[0].version")
        .isEqualTo("2.x.x")
        .jsonPath("$.images[?(@.name == 'nginx')].image")
        .isEqualTo(List.of("docker.io/bitnami/nginx:1.29.1-debian-12-r0"))
        .jsonPath("$.maintainers[0].url")
        .isEqualTo("https://github.com/bitnami/charts")
        .jsonPath("$.sources[0]")
        .isEqualTo("https://github.com/bitnami/charts/tree/main/bitnami/nginx");

    assertThat(
            TestPostgres.get()
                .queryOne(
                    DB,
                    "select count(*) from chart_details where repository = 'fixtures'"
                        + " and name = 'nginx' and digest = '"
                        + digest
                        + "'"))
        .isEqualTo(1L);
  }

  @Test
  void aLibraryChartIsShownButNotInstallable() {
    get("/fixtures/common/versions/2.31.10")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("library")
        .jsonPath("$.installable")
        .isEqualTo(false);
  }

  @Test
  void detailsAreReadOncePerPackageAndReadAgainWhenThePackageChanges() {
    packages.put("team", "cache", "1.0.0", Tgz.chart("cache", "1.0.0").bytes());
    get("/team/cache/versions/1.0.0").expectStatus().isOk();
    get("/team/cache/versions/1.0.0").expectStatus().isOk();
    assertThat(cacheRows("cache")).isEqualTo(1L);

    packages.put(
        "team",
        "cache",
        "1.0.0",
        Tgz.chart("cache", "1.0.0").file("cache/README.md", "# Republished").bytes());
    get("/team/cache/versions/1.0.0")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.readme")
        .isEqualTo("# Republished");
    assertThat(cacheRows("cache")).isEqualTo(2L);
  }

  private static Object cacheRows(String name) {
    return TestPostgres.get()
        .queryOne(DB, "select count(*) from chart_details where name = '" + name + "'");
  }

  @Test
  void theFormFollowsTheSchemaWithDefaultsFromTheValues() {
    get("/fixtures/nginx/versions/22.1.1/form")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.source")
        .isEqualTo("schema")
        .jsonPath("$.fields[?(@.path == 'replicaCount')].type")
        .isEqualTo(List.of("integer"))
        .jsonPath("$.fields[?(@.path == 'replicaCount')].title")
        .isEqualTo(List.of("Number of replicas"))
        .jsonPath("$.fields[?(@.path == 'replicaCount')].default")
        .isEqualTo(List.of(1))
        .jsonPath("$.fields[?(@.path == 'ingress')].type")
        .isEqualTo(List.of("object"))
        .jsonPath("$.fields[?(@.path == 'ingress')].fields[?(@.path == 'ingress.enabled')].type")
        .isEqualTo(List.of("boolean"))
        .jsonPath("$.fields[?(@.path == 'ingress')].fields[?(@.path == 'ingress.enabled')].default")
        .isEqualTo(List.of(false));
  }

  @Test
  void withoutASchemaTheFormIsInferredFromTheValues() {
    packages.put("team", "plain", "0.1.0", Tgz.chart("plain", "0.1.0").bytes());
    get("/team/plain/versions/0.1.0/form")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.source")
        .isEqualTo("values")
        .jsonPath("$.fields[0].path")
        .isEqualTo("replicaCount")
        .jsonPath("$.fields[0].type")
        .isEqualTo("integer")
        .jsonPath("$.fields[0].default")
        .isEqualTo(1)
        .jsonPath("$.fields[1].path")
        .isEqualTo("image")
        .jsonPath("$.fields[1].type")
        .isEqualTo("object")
        .jsonPath("$.fields[1].fields[1].path")
        .isEqualTo("image.tag")
        .jsonPath("$.fields[1].fields[1].type")
        .isEqualTo("string")
        .jsonPath("$.fields[1].fields[1].default")
        .isEqualTo("1.27");
  }

  @Test
  void upgradeInfoListsTheChangesInBetweenAndTheValuesKeysAddedAndRemoved() {
    String changelog =
        "# Changelog\n\n## 1.2.0\n\n* Metrics from the markdown\n\n## 1.1.0 (2025-01-01)\n\n"
            + "* Fix probes ([#12](https://example.org/pr/12))\n\n## 1.0.0\n\n* First release\n";
    packages.put(
        "team",
        "shop",
        "1.0.0",
        new Tgz()
            .file("shop/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 1.0.0\n")
            .file(
                "shop/values.yaml",
                "replicaCount: 1\nimage:\n  tag: '1'\nlegacy:\n  enabled: false\n")
            .bytes());
    packages.put(
        "team",
        "shop",
        "1.2.0",
        new Tgz()
            .file(
                "shop/Chart.yaml",
                "apiVersion: v2\nname: shop\nversion: 1.2.0\nannotations:\n"
                    + "  artifacthub.io/changes: |\n    - kind: added\n"
                    + "      description: Metrics endpoint\n      links:\n"
                    + "        - name: PR\n          url: https://example.org/pr/30\n")
            .file("shop/CHANGELOG.md", changelog)
            .file(
                "shop/values.yaml",
                "replicaCount: 1\nimage:\n  tag: '2'\n  pullPolicy: IfNotPresent\n"
                    + "metrics:\n  enabled: true\n")
            .bytes());

    get("/team/shop/upgrade?from=1.0.0&to=1.2.0")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.from")
        .isEqualTo("1.0.0")
        .jsonPath("$.to")
        .isEqualTo("1.2.0")
        .jsonPath("$.changelog.length()")
        .isEqualTo(2)
        .jsonPath("$.changelog[0].kind")
        .isEqualTo("added")
        .jsonPath("$.changelog[0].description")
        .isEqualTo("Metrics endpoint")
        .jsonPath("$.changelog[0].links[0].url")
        .isEqualTo("https://example.org/pr/30")
        .jsonPath("$.changelog[1].version")
        .isEqualTo("1.1.0")
        .jsonPath("$.changelog[1].links[0].url")
        .isEqualTo("https://example.org/pr/12")
        .jsonPath("$.valuesAdded")
        .isEqualTo(List.of("image.pullPolicy", "metrics", "metrics.enabled"))
        .jsonPath("$.valuesRemoved")
        .isEqualTo(List.of("legacy", "legacy.enabled"));

    get("/team/shop/upgrade?from=1.2.0&to=1.0.0")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("to");
    get("/team/shop/upgrade?from=1.0.0&to=9.9.9")
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("App version 'team/shop 9.9.9' does not exist");
    get("/team/shop/upgrade?from=1.0.0")
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void badCoordinatesAreProblemsThatSayWhichPartIsWrong() {
    get("/fixtures/nginx/versions/latest")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("version");
    get("/fixtures/nginx/versions/v22.1.1").expectStatus().isBadRequest();
    get("/Fixtures/nginx/versions/22.1.1")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("repository");
    get("/fixtures/nginx/versions/99.0.0")
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void aHostilePackageInARepositoryIsAProblemNotACrash() {
    packages.put(
        "evil", "bomb", "1.0.0", Tgz.chart("bomb", "1.0.0").zeros("bomb/big", 64L << 20).bytes());
    get("/evil/bomb/versions/1.0.0")
        .expectStatus()
        .isEqualTo(422)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://runnel.dev/problems/unreadable-chart-package")
        .jsonPath("$.detail")
        .value(
            d -> assertThat((String) d).contains("evil/bomb 1.0.0").contains("larger than 5 MiB"));

    packages.put("evil", "liar", "1.0.0", Tgz.chart("other", "1.0.0").bytes());
    get("/evil/liar/versions/1.0.0")
        .expectStatus()
        .isEqualTo(422)
        .expectBody()
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains("holds chart other 1.0.0 instead"));
    assertThat(
            TestPostgres.get()
                .queryOne(DB, "select count(*) from chart_details where repository = 'evil'"))
        .isEqualTo(0L);
    web.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
  }

  @Test
  void readingTheMarketNeedsAToken() {
    web.get()
        .uri(APPS + "/fixtures/nginx/versions/22.1.1")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
  }
}
