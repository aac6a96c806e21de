package dev.runnel.market;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.market.chart.FixtureChartPackages;
import dev.runnel.market.chart.Fixtures;
import dev.runnel.market.chart.Tgz;
import dev.runnel.market.chart.domain.ChartArchiveReader;
import dev.runnel.market.local.LocalCharts;
import dev.runnel.testkit.EventSchemas;
import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestKafka;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.yaml.snakeyaml.Yaml;
import reactor.test.StepVerifier;

@RunnelInfra
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "runnel.market.charts.max-package-size=1MB",
      "runnel.market.charts.max-entries=300"
    })
@AutoConfigureWebTestClient
@Import(FixtureChartPackages.Config.class)
class PublishChartsIT {
  private static final String DB = TestPostgres.get().freshDatabase("market");
  private static final Duration EVENT_WAIT = Duration.ofSeconds(30);
  private static final String CHARTS = "/api/market/v1/charts";
  private static TopicRecorder events;

  @Autowired WebTestClient web;
  @Autowired LocalCharts local;

  @DynamicPropertySource
  static void infra(DynamicPropertyRegistry registry) {
    RunnelTestInfra.register(registry::add, DB);
  }

  /** Rendering through Helm on a busy shared machine can take longer than the default 5 s. */
  @org.junit.jupiter.api.BeforeEach
  void patientClient() {
    web = web.mutate().responseTimeout(Duration.ofSeconds(60)).build();
  }

  @BeforeAll
  static void recordEvents() {
    events = new TopicRecorder(TestKafka.get().bootstrapServers(), "runnel.market");
  }

  @AfterAll
  static void stopRecording() {
    events.close();
  }

  private static String acmeAdmin() {
    return TestTokens.get().user("ada").teamRole("acme", "team-admin").mint();
  }

  private WebTestClient.ResponseSpec upload(String token, byte[] pkg, String team) {
    MultipartBodyBuilder body = new MultipartBodyBuilder();
    body.part("chart", pkg).filename("chart.tgz").contentType(MediaType.APPLICATION_OCTET_STREAM);
    if (team != null) {
      body.part("team", team);
    }
    return web.post()
        .uri(CHARTS)
        .headers(h -> h.setBearerAuth(token))
        .contentType(MediaType.MULTIPART_FORM_DATA)
        .body(BodyInserters.fromMultipartData(body.build()))
        .exchange();
  }

  private static long published() {
    return (Long) TestPostgres.get().queryOne(DB, "select count(*) from published_chart");
  }

  @Test
  void aTeamAdminPublishesARealChartThatRendersAndTheCatalogSeesIt() {
    byte[] wordpress = Fixtures.chart("wordpress-27.0.0.tgz");
    // Larger than the kit's 256 KiB JSON body limit: the upload path has its own.
    assertThat(wordpress.length).isGreaterThan(256 * 1024);
    String digest = ChartArchiveReader.sha256(wordpress);

    upload(acmeAdmin(), wordpress, null)
        .expectStatus()
        .isCreated()
        .expectHeader()
        .location("/api/market/v1/charts/wordpress/27.0.0")
        .expectBody()
        .jsonPath("$.repository")
        .isEqualTo("local")
        .jsonPath("$.name")
        .isEqualTo("wordpress")
        .jsonPath("$.team")
        .isEqualTo("acme")
        .jsonPath("$.publishedBy")
        .isEqualTo("ada")
        .jsonPath("$.digest")
        .isEqualTo(digest)
        .jsonPath("$.size")
        .isEqualTo(wordpress.length);

    TopicRecorder.Message event =
        events.await(
            m -> "wordpress-27.0.0".equals(m.subject()) && m.type().endsWith("published.v1"),
            EVENT_WAIT);
    assertThat(event.header("ce_type")).isEqualTo("runnel.market.chart.published.v1");
    assertThat(event.header("ce_team")).isEqualTo("acme");
    assertThat(event.header("ce_actor")).isEqualTo("ada");
    assertThat(event.value()).contains("\"digest\":\"" + digest + "\"");
    EventSchemas.assertValid(event.type(), event.value());

    web.get()
        .uri(CHARTS)
        .headers(h -> h.setBearerAuth(TestTokens.get().user("viewer").mint()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[?(@.name == 'wordpress')].version")
        .isEqualTo(List.of("27.0.0"));

    StepVerifier.create(local.index())
        .assertNext(
            bytes -> {
              Map<String, Object> index =
                  new Yaml().load(new String(bytes, StandardCharsets.UTF_8));
              assertThat(index).containsEntry("apiVersion", "v1").containsKey("generated");
              @SuppressWarnings("unchecked")
              Map<String, List<Map<String, Object>>> entries =
                  (Map<String, List<Map<String, Object>>>) index.get("entries");
              Map<String, Object> entry = entries.get("wordpress").get(0);
              assertThat(entry)
                  .containsEntry("version", "27.0.0")
                  .containsEntry("digest", digest)
                  .containsEntry("urls", List.of("wordpress-27.0.0.tgz"))
                  .containsEntry("type", "application")
                  .containsKeys("appVersion", "description", "dependencies", "created");
            })
        .verifyComplete();
    StepVerifier.create(local.packageOf("wordpress", "27.0.0"))
        .assertNext(bytes -> assertThat(bytes).isEqualTo(wordpress))
        .verifyComplete();
    StepVerifier.create(local.packageOf("wordpress", "1.0.0")).verifyComplete();

    upload(acmeAdmin(), wordpress, null)
        .expectStatus()
        .isEqualTo(HttpStatus.CONFLICT)
        .expectBody()
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains("wordpress 27.0.0 is already published"));
  }

  @Test
  void deletingAPublishedChartNeedsAnAdminOfItsTeamAndIsPublished() {
    upload(acmeAdmin(), Tgz.chart("to-delete", "0.1.0").bytes(), "acme").expectStatus().isCreated();

    web.delete()
        .uri(CHARTS + "/to-delete/0.1.0")
        .headers(
            h ->
                h.setBearerAuth(
                    TestTokens.get().user("bob").teamRole("other", "team-admin").mint()))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("Only a platform admin or an admin of team 'acme' may delete this chart");
    web.delete()
        .uri(CHARTS + "/to-delete/0.1.0")
        .headers(
            h ->
                h.setBearerAuth(TestTokens.get().user("mo").teamRole("acme", "team-member").mint()))
        .exchange()
        .expectStatus()
        .isForbidden();
    web.delete()
        .uri(CHARTS + "/to-delete/0.1.0")
        .headers(h -> h.setBearerAuth(acmeAdmin()))
        .exchange()
        .expectStatus()
        .isNoContent();
    web.delete()
        .uri(CHARTS + "/to-delete/0.1.0")
        .headers(h -> h.setBearerAuth(acmeAdmin()))
        .exchange()
        .expectStatus()
        .isNotFound();
    StepVerifier.create(local.packageOf("to-delete", "0.1.0")).verifyComplete();

    List<TopicRecorder.Message> forChart =
        events.awaitCount(m -> "to-delete-0.1.0".equals(m.subject()), 2, EVENT_WAIT);
    assertThat(forChart)
        .extracting(TopicRecorder.Message::type)
        .containsExactly("runnel.market.chart.published.v1", "runnel.market.chart.deleted.v1");
    forChart.forEach(m -> EventSchemas.assertValid(m.type(), m.value()));
  }

  @Test
  void aPlatformAdminPublishesForThePlatformAndChartMuseumUploadsWork() {
    web.post()
        .uri("/api/charts")
        .headers(h -> h.setBearerAuth(TestTokens.get().admin()))
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .bodyValue(Fixtures.chart("redis-23.1.1.tgz"))
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody()
        .jsonPath("$.saved")
        .isEqualTo(true);
    TopicRecorder.Message event = events.await(m -> "redis-23.1.1".equals(m.subject()), EVENT_WAIT);
    assertThat(event.header("ce_team")).isNull();
    EventSchemas.assertValid(event.type(), event.value());

    // A library chart cannot be installed, so it is not rendered; its package is still checked.
    upload(TestTokens.get().admin(), Fixtures.chart("common-2.31.10.tgz"), "platform-libs")
        .expectStatus()
        .isCreated()
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("library")
        .jsonPath("$.team")
        .isEqualTo("platform-libs");
  }

  @Test
  void onlyTeamAdminsAndPlatformAdminsPublish() {
    long before = published();
    byte[] pkg = Tgz.chart("sneaky", "1.0.0").bytes();
    for (String token :
        List.of(
            TestTokens.get().user("mo").teamRole("acme", "team-member").mint(),
            TestTokens.get().user("vi").teamRole("acme", "team-viewer").mint(),
            TestTokens.get().user("au").platformRole("platform-auditor").mint())) {
      upload(token, pkg, null)
          .expectStatus()
          .isForbidden()
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
    upload(acmeAdmin(), pkg, "other")
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("Publishing for team 'other' needs its team-admin role");
    web.post()
        .uri(CHARTS)
        .contentType(MediaType.MULTIPART_FORM_DATA)
        .body(BodyInserters.fromMultipartData(new MultipartBodyBuilder().build()))
        .exchange()
        .expectStatus()
        .isUnauthorized();
    assertThat(published()).isEqualTo(before);
  }

  @Test
  void everyHostilePackageIsRefusedWithTheCauseAndNothingIsStored() throws IOException {
    long before = published();
    long renderDirsBefore = renderDirs();
    Tgz base = Tgz.chart("evil", "1.0.0");
    Tgz many = Tgz.chart("many", "1.0.0");
    for (int i = 0; i < 300; i++) {
      many.file("many/files/f" + i, "");
    }
    record Case(String what, byte[] pkg, int status, String reason, String detail) {}
    List<Case> cases =
        List.of(
            new Case(
                "path traversal",
                Tgz.chart("evil", "1.0.0").file("evil/../../etc/cron.d/x", "x").bytes(),
                400,
                "path-traversal",
                "climbs out of its folder"),
            new Case(
                "absolute path",
                Tgz.chart("evil", "1.0.0").file("/etc/passwd", "x").bytes(),
                400,
                "absolute-path",
                "absolute path '/etc/passwd'"),
            new Case(
                "symlink",
                Tgz.chart("evil", "1.0.0").symlink("evil/templates/s.yaml", "/etc/shadow").bytes(),
                400,
                "link",
                "holds a link"),
            new Case(
                "hardlink",
                Tgz.chart("evil", "1.0.0").hardlink("evil/templates/h.yaml", "/etc/shadow").bytes(),
                400,
                "link",
                "holds a link"),
            new Case(
                "device",
                Tgz.chart("evil", "1.0.0").device("evil/null").bytes(),
                400,
                "special-file",
                "device"),
            new Case(
                "decompression bomb",
                Tgz.chart("evil", "1.0.0").zeros("evil/big", 64L << 20).bytes(),
                413,
                "file-too-large",
                "larger than 5 MiB when decompressed"),
            new Case(
                "not gzip",
                "hello, I am a chart".getBytes(StandardCharsets.UTF_8),
                400,
                "not-gzip",
                "not gzip-compressed"),
            new Case("empty", new byte[0], 400, "empty", "The chart package is empty"),
            new Case(
                "gzip of non-tar",
                Tgz.gzip("plain text, no tar".repeat(50).getBytes(StandardCharsets.UTF_8)),
                400,
                "not-tar",
                "not a readable tar archive"),
            new Case(
                "missing Chart.yaml",
                new Tgz().file("evil/values.yaml", "a: 1").bytes(),
                422,
                "missing-chart-yaml",
                "no Chart.yaml"),
            new Case(
                "invalid Chart.yaml",
                new Tgz()
                    .file("evil/Chart.yaml", "apiVersion: v2\nname: evil\nversion: one\n")
                    .bytes(),
                422,
                "invalid-chart-yaml",
                "version 'one' is not a semantic version"),
            new Case(
                "two top-level folders",
                base.file("other/values.yaml", "a: 1").bytes(),
                400,
                "not-in-one-folder",
                "found 'evil' and 'other'"),
            new Case(
                "huge entry count",
                many.bytes(),
                413,
                "too-many-entries",
                "more than 300 entries"));

    for (Case c : cases) {
      upload(acmeAdmin(), c.pkg(), null)
          .expectStatus()
          .isEqualTo(c.status())
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.reason")
          .isEqualTo(c.reason())
          .jsonPath("$.detail")
          .value(d -> assertThat((String) d).as(c.what()).contains(c.detail()))
          .jsonPath("$.trace")
          .doesNotExist();
    }
    assertThat(published()).isEqualTo(before);
    assertThat(renderDirs()).isEqualTo(renderDirsBefore);
    web.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
  }

  @Test
  void aPackageOverTheSizeLimitIsRefusedBeforeItIsRead() {
    long before = published();
    byte[] big = new byte[(1 << 20) + 100_000];
    new Random(7).nextBytes(big);
    upload(acmeAdmin(), big, null)
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectBody()
        .jsonPath("$.reason")
        .isEqualTo("package-too-large")
        .jsonPath("$.detail")
        .isEqualTo("A chart package may be at most 1 MiB as uploaded");
    assertThat(published()).isEqualTo(before);
  }

  @Test
  void rawUploadsWithADeclaredLengthPassTheJsonLimitUpToThePackageLimit() {
    byte[] noise = new byte[400 * 1024];
    new Random(11).nextBytes(noise);
    byte[] big = Tgz.chart("big-ok", "1.0.0").file("big-ok/files/noise.bin", noise).bytes();
    assertThat(big.length).isGreaterThan(256 * 1024);
    web.post()
        .uri("/api/charts?team=acme")
        .headers(h -> h.setBearerAuth(acmeAdmin()))
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .contentLength(big.length)
        .bodyValue(big)
        .exchange()
        .expectStatus()
        .isCreated();

    long before = published();
    byte[] tooBig = new byte[(1 << 20) + 1];
    web.post()
        .uri("/api/charts")
        .headers(h -> h.setBearerAuth(acmeAdmin()))
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .contentLength(tooBig.length)
        .bodyValue(tooBig)
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectBody()
        .jsonPath("$.reason")
        .isEqualTo("package-too-large");
    assertThat(published()).isEqualTo(before);
  }

  @Test
  void aChartThatDoesNotRenderIsRefusedWithHelmsMessage() throws IOException {
    long before = published();
    long renderDirsBefore = renderDirs();
    byte[] broken =
        Tgz.chart("broken", "1.0.0")
            .file(
                "broken/templates/fail.yaml",
                "{{ fail \"this chart needs a database password\" }}\n")
            .bytes();
    upload(acmeAdmin(), broken, null)
        .expectStatus()
        .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://runnel.dev/problems/chart-does-not-render")
        .jsonPath("$.detail")
        .value(
            d ->
                assertThat((String) d)
                    .startsWith("The chart does not render with its default values: ")
                    .contains("this chart needs a database password")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ")
                    .doesNotContain("runnel-render-"));

    byte[] badSyntax =
        Tgz.chart("syntax", "1.0.0")
            .file("syntax/templates/x.yaml", "{{ .Values.x | nosuchfunc }}")
            .bytes();
    upload(acmeAdmin(), badSyntax, null)
        .expectStatus()
        .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
        .expectBody()
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains("nosuchfunc"));
    assertThat(published()).isEqualTo(before);
    assertThat(renderDirs()).isEqualTo(renderDirsBefore);
  }

  @Test
  void theOpenApiDocumentDescribesTheChartEndpoints() {
    web.get()
        .uri("/v3/api-docs")
        .headers(h -> h.setBearerAuth(acmeAdmin()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.paths['/api/market/v1/charts'].post")
        .exists()
        .jsonPath("$.paths['/api/market/v1/charts/{name}/{version}'].delete")
        .exists()
        .jsonPath("$.paths['/api/market/v1/apps/{repository}/{name}/versions/{version}/form'].get")
        .exists();
  }

  @Test
  void unknownFieldsAndAMissingPackageAreProblems() {
    MultipartBodyBuilder body = new MultipartBodyBuilder();
    body.part("team", "acme");
    web.post()
        .uri(CHARTS)
        .headers(h -> h.setBearerAuth(acmeAdmin()))
        .contentType(MediaType.MULTIPART_FORM_DATA)
        .body(BodyInserters.fromMultipartData(body.build()))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("chart");

    MultipartBodyBuilder extra = new MultipartBodyBuilder();
    extra.part("chart", Tgz.chart("x", "1.0.0").bytes()).filename("x.tgz");
    extra.part("colour", "red");
    web.post()
        .uri(CHARTS)
        .headers(h -> h.setBearerAuth(acmeAdmin()))
        .contentType(MediaType.MULTIPART_FORM_DATA)
        .body(BodyInserters.fromMultipartData(extra.build()))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("colour");
  }

  /** Render directories left in the temp folder; each render must remove its own. */
  private static long renderDirs() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(p -> p.getFileName().toString().startsWith("runnel-render-")).count();
    }
  }
}
