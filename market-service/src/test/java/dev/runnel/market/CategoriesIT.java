package dev.runnel.market;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.testkit.EventSchemas;
import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestKafka;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

@RunnelInfra
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "60s")
class CategoriesIT {
  private static final String DB = TestPostgres.get().freshDatabase("market");
  private static final Duration EVENT_WAIT = Duration.ofSeconds(30);
  private static TopicRecorder events;

  @Autowired WebTestClient web;

  @DynamicPropertySource
  static void infra(DynamicPropertyRegistry registry) {
    RunnelTestInfra.register(registry::add, DB);
  }

  /** A shared, busy build machine can take longer than the client's default 5 s. */
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

  private static String admin() {
    return TestTokens.get().admin();
  }

  private Map<String, Object> create(String name) {
    return web.post()
        .uri("/api/market/v1/categories")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("name", name, "description", "About " + name, "sortOrder", 3))
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody(
            new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }

  @Test
  void anAdminCreatesACategoryAndItsEventIsPublishedAsACloudEvent() {
    Map<String, Object> created = create("Databases " + UUID.randomUUID());
    String id = (String) created.get("id");

    web.get()
        .uri("/api/market/v1/categories/{id}", id)
        .headers(h -> h.setBearerAuth(TestTokens.get().user("viewer").mint()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.name")
        .isEqualTo(created.get("name"))
        .jsonPath("$.sortOrder")
        .isEqualTo(3);

    TopicRecorder.Message event =
        events.await(m -> id.equals(m.subject()) && m.type().endsWith("created.v1"), EVENT_WAIT);
    assertThat(event.key()).isEqualTo(id);
    assertThat(event.header("ce_specversion")).isEqualTo("1.0");
    assertThat(event.header("ce_source")).isEqualTo("/runnel/market");
    assertThat(event.header("ce_type")).isEqualTo("runnel.market.category.created.v1");
    assertThat(event.header("ce_actor")).isEqualTo("admin");
    assertThat(event.header("ce_team")).isNull();
    assertThat(event.header("content-type")).isEqualTo("application/json");
    assertThat(event.value()).contains("\"id\":\"" + id + "\"");
    EventSchemas.assertValid(event.type(), event.value());
  }

  @Test
  void updatesAndDeletesArePublishedInOrderForTheCategory() {
    String id = (String) create("Messaging " + UUID.randomUUID()).get("id");
    String renamed = "Queues " + UUID.randomUUID();
    web.put()
        .uri("/api/market/v1/categories/{id}", id)
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("name", renamed, "sortOrder", 1))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.name")
        .isEqualTo(renamed);
    web.delete()
        .uri("/api/market/v1/categories/{id}", id)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isNoContent();
    web.get()
        .uri("/api/market/v1/categories/{id}", id)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("Category '" + id + "' does not exist");

    List<TopicRecorder.Message> forCategory =
        events.awaitCount(m -> id.equals(m.subject()), 3, EVENT_WAIT);
    assertThat(forCategory)
        .extracting(TopicRecorder.Message::type)
        .containsExactly(
            "runnel.market.category.created.v1",
            "runnel.market.category.updated.v1",
            "runnel.market.category.deleted.v1");
    assertThat(forCategory.get(1).value()).contains("\"previousName\":\"Messaging ");
    forCategory.forEach(m -> EventSchemas.assertValid(m.type(), m.value()));
  }

  @Test
  void namesAreUniqueRegardlessOfCaseAndADuplicateChangesNothing() {
    String name = "Monitoring " + UUID.randomUUID();
    create(name);
    Object before = TestPostgres.get().queryOne(DB, "select count(*) from category");

    web.post()
        .uri("/api/market/v1/categories")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("name", "  " + name.toUpperCase() + " "))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONFLICT)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://runnel.dev/problems/conflict")
        .jsonPath("$.detail")
        .isEqualTo("A category named '" + name.toUpperCase() + "' already exists");

    assertThat(TestPostgres.get().queryOne(DB, "select count(*) from category")).isEqualTo(before);
  }

  @Test
  void aCategoryInUseCannotBeDeleted() {
    String id = (String) create("CMS " + UUID.randomUUID()).get("id");
    TestPostgres.get()
        .execute(
            DB,
            "insert into app_category (app_key, category_id) values ('bitnami/wordpress', '"
                + id
                + "'), ('bitnami/drupal', '"
                + id
                + "')");

    web.delete()
        .uri("/api/market/v1/categories/{id}", id)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONFLICT)
        .expectBody()
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains("is used by 2 apps"));

    web.get()
        .uri("/api/market/v1/categories/{id}", id)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void listsPageWithOpaqueCursors() {
    String prefix = "page-" + UUID.randomUUID() + "-";
    for (int i = 0; i < 5; i++) {
      create(prefix + i);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String c = cursor;
      Map<String, Object> page =
          web.get()
              .uri(
                  b ->
                      b.path("/api/market/v1/categories")
                          .queryParam("limit", 2)
                          .queryParamIfPresent("cursor", java.util.Optional.ofNullable(c))
                          .build())
              .headers(h -> h.setBearerAuth(admin()))
              .exchange()
              .expectStatus()
              .isOk()
              .expectBody(
                  new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {})
              .returnResult()
              .getResponseBody();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
      assertThat(items.size()).isLessThanOrEqualTo(2);
      items.forEach(i -> seen.add((String) i.get("name")));
      cursor = (String) page.get("nextCursor");
      pages++;
    } while (cursor != null && pages < 100);

    List<String> ours = seen.stream().filter(n -> n.startsWith(prefix)).toList();
    assertThat(ours).containsExactly(prefix + 0, prefix + 1, prefix + 2, prefix + 3, prefix + 4);
    assertThat(seen).doesNotHaveDuplicates();

    web.get()
        .uri("/api/market/v1/categories?cursor=not-a-cursor")
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("cursor");
  }

  @Test
  void withoutAValidTokenTheAnswerIsA401Problem() {
    web.get()
        .uri("/api/market/v1/categories")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectHeader()
        .exists("WWW-Authenticate")
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(401)
        .jsonPath("$.title")
        .isEqualTo("Unauthenticated");

    for (String bad :
        List.of(
            TestTokens.get().user("old").expiresAt(Instant.now().minusSeconds(120)).mint(),
            TestTokens.get()
                .user("forger")
                .platformRole("platform-admin")
                .signedWithForeignKey()
                .mint(),
            TestTokens.get().user("elsewhere").issuer("https://evil.example/realms/runnel").mint(),
            "not.a.jwt")) {
      web.get()
          .uri("/api/market/v1/categories")
          .headers(h -> h.setBearerAuth(bad))
          .exchange()
          .expectStatus()
          .isUnauthorized()
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
  }

  @Test
  void aCallerWithoutTheAdminRoleGetsA403ProblemAndNothingChanges() {
    Object before = TestPostgres.get().queryOne(DB, "select count(*) from category");
    web.post()
        .uri("/api/market/v1/categories")
        .headers(
            h ->
                h.setBearerAuth(TestTokens.get().user("ada").teamRole("acme", "team-admin").mint()))
        .bodyValue(Map.of("name", "Sneaky"))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("This action needs one of the roles platform-admin");
    assertThat(TestPostgres.get().queryOne(DB, "select count(*) from category")).isEqualTo(before);
  }

  @Test
  void badBodiesGetProblemsThatSayWhatIsWrong() {
    post("{\"name\": \"x\",", MediaType.APPLICATION_JSON)
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://runnel.dev/problems/malformed-json")
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).startsWith("The request body is not valid JSON"));

    post("{\"name\": \"Tools\", \"colour\": \"red\"}", MediaType.APPLICATION_JSON)
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("colour")
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).startsWith("Unknown field 'colour'"));

    post("{\"name\": \"\", \"sortOrder\": -1}", MediaType.APPLICATION_JSON)
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors.length()")
        .isEqualTo(2)
        .jsonPath("$.errors[?(@.field == 'name')]")
        .exists()
        .jsonPath("$.errors[?(@.field == 'sortOrder')]")
        .exists();

    post("{\"name\": \"Tools\", \"sortOrder\": \"first\"}", MediaType.APPLICATION_JSON)
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("sortOrder");

    post("{\"name\": \"" + "x".repeat(300_000) + "\"}", MediaType.APPLICATION_JSON)
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);

    post("name=Tools", MediaType.APPLICATION_FORM_URLENCODED)
        .expectStatus()
        .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);

    post("{\"name\": \"Robert'); drop table category;--\"}", MediaType.APPLICATION_JSON)
        .expectStatus()
        .isCreated();
    assertThat(
            TestPostgres.get()
                .queryOne(DB, "select count(*) from category where name like 'Robert%'"))
        .isEqualTo(1L);
  }

  @Test
  void unknownIdsAndPathsAreProblemsWithoutInternals() {
    web.get()
        .uri("/api/market/v1/categories/not-a-uuid")
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.trace")
        .doesNotExist();
    web.get()
        .uri("/api/market/v1/nothing-here")
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void probesAreOpenAndMetricsAreForAdmins() {
    web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    web.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
    web.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
    web.get()
        .uri("/actuator/prometheus")
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(
            body ->
                assertThat(body)
                    .contains("runnel_outbox_pending")
                    .contains("runnel_outbox_lag_seconds"));
    web.get()
        .uri("/api/market/v1/about")
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.service")
        .isEqualTo("market")
        .jsonPath("$.schemaVersion")
        .isEqualTo(latestMigration());
    web.get()
        .uri("/v3/api-docs")
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.openapi")
        .value(v -> assertThat((String) v).startsWith("3.1"))
        .jsonPath("$.paths['/api/market/v1/categories']")
        .exists();
  }

  @Test
  void theTraceOfTheRequestTravelsWithTheEventAndTheLogs() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(
                dev.runnel.market.category.application.ManageCategories.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    Map<String, Object> created =
        web.post()
            .uri("/api/market/v1/categories")
            .headers(h -> h.setBearerAuth(admin()))
            .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
            .bodyValue(Map.of("name", "Traced " + UUID.randomUUID()))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(
                new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    TopicRecorder.Message event =
        events.await(m -> created.get("id").equals(m.subject()), EVENT_WAIT);
    assertThat(event.header("traceparent")).startsWith("00-" + traceId + "-");
    assertThat(event.header("ce_traceparent")).startsWith("00-" + traceId + "-");
    logger.detachAppender(logs);
    assertThat(logs.list)
        .filteredOn(e -> e.getFormattedMessage().contains((String) created.get("id")))
        .singleElement()
        .satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("traceId", traceId));
  }

  private WebTestClient.ResponseSpec post(String body, MediaType type) {
    return web.post()
        .uri("/api/market/v1/categories")
        .headers(h -> h.setBearerAuth(admin()))
        .contentType(type)
        .bodyValue(body)
        .exchange();
  }

  /** The highest migration version this service ships: what the about endpoint must report. */
  private static String latestMigration() {
    try {
      int latest = 0;
      for (org.springframework.core.io.Resource r :
          new org.springframework.core.io.support.PathMatchingResourcePatternResolver()
              .getResources("classpath:db/migration/market/V*__*.sql")) {
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("V(\\d+)__.*").matcher(r.getFilename());
        if (m.matches()) {
          latest = Math.max(latest, Integer.parseInt(m.group(1)));
        }
      }
      return String.valueOf(latest);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
