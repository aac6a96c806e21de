package dev.runnel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.runnel.audit.trail.application.TrailProperties;
import dev.runnel.testkit.AccessMatrix;
import dev.runnel.testkit.AccessMatrix.Caller;
import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestKafka;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The trail on a real PostgreSQL and a real Kafka broker: events are produced to the platform's
 * topics as any service would, and read back through the API. Verification pages are kept small so
 * that verifying the trail crosses several pages.
 */
@RunnelInfra
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "audit.trail.verify-page-size=3")
@AutoConfigureWebTestClient
class AuditTrailIT {
  private static final String DB = TestPostgres.get().freshDatabase("audit");
  private static final Duration DELIVERY = Duration.ofSeconds(60);
  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};
  private static KafkaProducer<String, byte[]> producer;

  @Autowired WebTestClient web;
  @Autowired TrailProperties settings;

  @DynamicPropertySource
  static void infra(DynamicPropertyRegistry registry) {
    RunnelTestInfra.register(registry::add, DB);
  }

  @BeforeAll
  static void startProducing() {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(config);
  }

  @AfterAll
  static void stopProducing() {
    producer.close();
  }

  /** The audit trail is for platform-admin and platform-auditor only, and read-only for both. */
  private AccessMatrix accessMatrix(String storedEventId) {
    AccessMatrix matrix = new AccessMatrix();
    for (String read :
        List.of("/api/audit/v1/events", "/api/audit/v1/denials", "/api/audit/v1/chain/verify")) {
      matrix
          .row("GET", read)
          .expect(Caller.PLATFORM_ADMIN, 200)
          .expect(Caller.PLATFORM_AUDITOR, 200)
          .expect(Caller.ANONYMOUS, 401)
          .otherwise(403);
    }
    matrix
        .row("GET", "/api/audit/v1/events/{eventId}")
        .path("/api/audit/v1/events/" + storedEventId)
        .expect(Caller.PLATFORM_ADMIN, 200)
        .expect(Caller.PLATFORM_AUDITOR, 200)
        .expect(Caller.ANONYMOUS, 401)
        .otherwise(403);
    return matrix;
  }

  @Test
  void everyOperationIsInTheAccessMatrixAndEveryRowHolds() {
    String subject = "matrix-" + UUID.randomUUID();
    CloudEvent event =
        event("runnel.market.category.created.v1", "/runnel/market", subject)
            .withData("application/json", "{}".getBytes(StandardCharsets.UTF_8))
            .build();
    publish("runnel.market", event);
    awaitStored("event_id = '" + event.getId() + "'", 1);

    AccessMatrix matrix = accessMatrix(event.getId());
    matrix.assertComplete(web);
    try (TopicRecorder own =
        new TopicRecorder(TestKafka.get().bootstrapServers(), "runnel.audit")) {
      matrix.recordsDenials(own, "audit").assertHolds(web);
    }
  }

  @Test
  void theTrailRecordsItsOwnDenialsAndListsEveryServicesDenials() {
    String intruder = "intruder-" + UUID.randomUUID();
    String token = TestTokens.get().user(intruder).teamRole("acme", "team-member").mint();
    get("/api/audit/v1/events?type=x&token=secret-in-query", token).expectStatus().isForbidden();
    CloudEvent marketDenial =
        event("runnel.market.access.denied.v1", "/runnel/market", "/api/market/v1/categories")
            .withExtension("actor", intruder)
            .withData(
                "application/json",
                ("{\"method\":\"POST\",\"path\":\"/api/market/v1/categories\",\"status\":403,"
                        + "\"reason\":\"forbidden-action\",\"repeated\":0}")
                    .getBytes(StandardCharsets.UTF_8))
            .build();
    publish("runnel.market", marketDenial);
    CloudEvent notADenial =
        event("runnel.market.category.created.v1", "/runnel/market", "c-" + intruder)
            .withExtension("actor", intruder)
            .withData("application/json", "{}".getBytes(StandardCharsets.UTF_8))
            .build();
    publish("runnel.market", notADenial);
    awaitStored("actor = '" + intruder + "'", 3);

    Map<String, Object> own =
        get("/api/audit/v1/events?type=runnel.audit.access.denied.v1&actor=" + intruder, admin())
            .expectStatus()
            .isOk()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    List<?> ownItems = (List<?>) own.get("items");
    assertThat(ownItems).hasSize(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> denial = (Map<String, Object>) ownItems.get(0);
    assertThat(denial.get("subject")).isEqualTo("/api/audit/v1/events");
    assertThat(denial.toString()).doesNotContain("secret-in-query");
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) denial.get("data");
    assertThat(data).containsEntry("status", 403).containsEntry("reason", "forbidden-action");

    String auditor = TestTokens.get().user("quinn").platformRole("platform-auditor").mint();
    Map<String, Object> denials =
        get("/api/audit/v1/denials?actor=" + intruder, auditor)
            .expectStatus()
            .isOk()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    assertThat(
            ((List<?>) denials.get("items"))
                .stream().map(i -> (String) ((Map<?, ?>) i).get("type")))
        .containsExactlyInAnyOrder(
            "runnel.audit.access.denied.v1", "runnel.market.access.denied.v1");
  }

  @Test
  void theKnownPlatformTopicsExistWithSixPartitions() throws Exception {
    List<String> topics =
        List.of(
            "runnel.market",
            "runnel.deploy",
            "runnel.monitor",
            "runnel.identity",
            "runnel.gateway");
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers());
    try (Admin admin = Admin.create(config)) {
      Map<String, TopicDescription> described =
          admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
      assertThat(described).containsOnlyKeys(topics);
      described.values().forEach(d -> assertThat(d.partitions()).hasSize(6));
    }
  }

  @Test
  void anEventOnAPlatformTopicIsReadableWithEveryField() {
    String subject = "category-" + UUID.randomUUID();
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    CloudEvent event =
        event("runnel.market.category.created.v1", "/runnel/market", subject)
            .withTime(OffsetDateTime.parse("2026-03-01T09:15:30.123456+02:00"))
            .withExtension("team", "acme")
            .withExtension("actor", "ada")
            .withExtension("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
            .withData(
                "application/json",
                ("{\"id\":\"" + subject + "\",\"name\":\"Databases\",\"sortOrder\":3}")
                    .getBytes(StandardCharsets.UTF_8))
            .build();
    publish("runnel.market", event);
    awaitStored("event_id = '" + event.getId() + "'", 1);

    web.get()
        .uri("/api/audit/v1/events/{id}", event.getId())
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.id")
        .isEqualTo(event.getId())
        .jsonPath("$.type")
        .isEqualTo("runnel.market.category.created.v1")
        .jsonPath("$.source")
        .isEqualTo("/runnel/market")
        .jsonPath("$.subject")
        .isEqualTo(subject)
        .jsonPath("$.team")
        .isEqualTo("acme")
        .jsonPath("$.actor")
        .isEqualTo("ada")
        .jsonPath("$.time")
        .value(t -> assertThat(Instant.parse((String) t)).isEqualTo("2026-03-01T07:15:30.123456Z"))
        .jsonPath("$.receivedAt")
        .value(t -> assertThat(Instant.parse((String) t)).isNotNull())
        .jsonPath("$.traceId")
        .isEqualTo(traceId)
        .jsonPath("$.data.name")
        .isEqualTo("Databases")
        .jsonPath("$.data.sortOrder")
        .isEqualTo(3)
        .jsonPath("$.seq")
        .value(seq -> assertThat(((Number) seq).longValue()).isPositive())
        .jsonPath("$.hash")
        .value(hash -> assertThat((String) hash).matches("[0-9a-f]{64}"));

    List<Map<String, Object>> bySubject = items(list("subject=" + subject, admin()));
    assertThat(bySubject)
        .singleElement()
        .satisfies(i -> assertThat(i.get("id")).isEqualTo(event.getId()));
  }

  @Test
  void dataThatIsNotAJsonObjectIsStoredAndShownAsItIs() {
    String subject = "instance-" + UUID.randomUUID();
    CloudEvent array =
        event("runnel.deploy.instance.scaled.v1", "/runnel/deploy", subject)
            .withData("application/json", "[1,2,3]".getBytes(StandardCharsets.UTF_8))
            .build();
    CloudEvent text =
        event("runnel.deploy.instance.logged.v1", "/runnel/deploy", subject)
            .withData("text/plain", "pod restarted".getBytes(StandardCharsets.UTF_8))
            .build();
    CloudEvent none = event("runnel.identity.team.created.v1", "/runnel/identity", subject).build();
    publish("runnel.deploy", array);
    publish("runnel.deploy", text);
    publish("runnel.identity", none);
    awaitStored("subject = '" + subject + "'", 3);

    expectEvent(array.getId()).jsonPath("$.data[2]").isEqualTo(3);
    expectEvent(text.getId()).jsonPath("$.data").isEqualTo("pod restarted");
    expectEvent(none.getId())
        .jsonPath("$.data")
        .isEmpty()
        .jsonPath("$.team")
        .isEmpty()
        .jsonPath("$.actor")
        .isEmpty()
        .jsonPath("$.traceId")
        .isEmpty()
        .jsonPath("$.source")
        .isEqualTo("/runnel/identity");
  }

  @Test
  void eachFilterNarrowsTheTrail() {
    String team = "filters-" + shortId();
    String subject = "category-" + UUID.randomUUID();
    CloudEvent created =
        teamEvent(
            "runnel.market.category.created.v1", subject, team, "ada", "2001-01-01T00:00:00Z");
    CloudEvent deleted =
        teamEvent(
            "runnel.market.category.deleted.v1", subject, team, "bob", "2001-01-02T00:00:00Z");
    CloudEvent installed =
        teamEvent(
            "runnel.deploy.instance.installed.v1", "i-1", team, "ada", "2001-01-03T00:00:00Z");
    CloudEvent published =
        teamEvent("runnel.market.app.published.v1", "a-1", team, "carol", "2001-01-04T00:00:00Z");
    publish("runnel.market", created);
    publish("runnel.market", deleted);
    publish("runnel.deploy", installed);
    publish("runnel.market", published);
    awaitStored("team = '" + team + "'", 4);

    List<Map<String, Object>> all = items(list("team=" + team, admin()));
    assertThat(ids(all))
        .containsExactlyInAnyOrder(
            created.getId(), deleted.getId(), installed.getId(), published.getId());
    List<Long> seqs = all.stream().map(i -> ((Number) i.get("seq")).longValue()).toList();
    assertThat(seqs).isSortedAccordingTo(Collections.reverseOrder());

    assertThat(
            ids(items(list("team=" + team + "&type=runnel.market.category.created.v1", admin()))))
        .containsExactly(created.getId());
    assertThat(ids(items(list("team=" + team + "&type=runnel.market.category.*", admin()))))
        .containsExactlyInAnyOrder(created.getId(), deleted.getId());
    assertThat(ids(items(list("team=" + team + "&type=runnel.market.*", admin()))))
        .containsExactlyInAnyOrder(created.getId(), deleted.getId(), published.getId());
    assertThat(ids(items(list("subject=" + subject, admin()))))
        .containsExactlyInAnyOrder(created.getId(), deleted.getId());
    assertThat(ids(items(list("team=" + team + "&actor=ada", admin()))))
        .containsExactlyInAnyOrder(created.getId(), installed.getId());
    assertThat(
            ids(
                items(
                    list(
                        "team=" + team + "&from=2001-01-02T00:00:00Z&to=2001-01-04T00:00:00Z",
                        admin()))))
        .containsExactlyInAnyOrder(deleted.getId(), installed.getId());
    assertThat(ids(items(list("team=" + team + "&actor=ada&from=2001-01-02T00:00:00Z", admin()))))
        .containsExactly(installed.getId());
    assertThat(items(list("team=" + team + "&actor=nobody", admin()))).isEmpty();
  }

  @Test
  void pagesChainWithoutDuplicatesOrGapsWhileEventsKeepArriving() {
    String team = "pages-" + shortId();
    String key = "paging-" + UUID.randomUUID();
    List<String> published = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      published.add(publishTeamEvent(team, key));
    }
    awaitStored("team = '" + team + "'", 7);

    List<String> seen = new ArrayList<>();
    Map<String, Object> page = list("team=" + team + "&limit=3", admin());
    seen.addAll(ids(items(page)));
    String cursor = (String) page.get("nextCursor");
    assertThat(cursor).isNotNull();

    // Newer events arrive between pages; the cursor goes on where it was.
    String newer1 = publishTeamEvent(team, key);
    String newer2 = publishTeamEvent(team, key);
    awaitStored("team = '" + team + "'", 9);

    int pages = 1;
    while (cursor != null && pages < 10) {
      page = list("team=" + team + "&limit=3&cursor=" + cursor, admin());
      List<String> pageIds = ids(items(page));
      assertThat(pageIds.size()).isLessThanOrEqualTo(3);
      seen.addAll(pageIds);
      cursor = (String) page.get("nextCursor");
      pages++;
    }

    List<String> newestFirst = new ArrayList<>(published);
    Collections.reverse(newestFirst);
    assertThat(seen).containsExactlyElementsOf(newestFirst);
    assertThat(pages).isEqualTo(3);
    assertThat(ids(items(list("team=" + team + "&limit=2", admin()))))
        .containsExactly(newer2, newer1);
  }

  @Test
  void theSameEventDeliveredTwiceIsStoredOnce() {
    String subject = "category-" + UUID.randomUUID();
    CloudEvent twice =
        event("runnel.market.category.updated.v1", "/runnel/market", subject).build();
    publish("runnel.market", twice);
    publish("runnel.market", twice);
    CloudEvent after =
        event("runnel.market.category.updated.v1", "/runnel/market", subject).build();
    publish("runnel.market", after);
    // One key, one partition: once the later event is in, both deliveries have been handled.
    awaitStored("event_id = '" + after.getId() + "'", 1);
    assertThat(ids(items(list("subject=" + subject, admin()))))
        .containsExactly(after.getId(), twice.getId());

    // Without the inbox's record of it, the trail's own unique event id still keeps one copy.
    TestPostgres.get()
        .execute(
            DB,
            "delete from runnel_inbox where consumer = 'trail' and event_id = '"
                + twice.getId()
                + "'");
    publish("runnel.market", twice);
    CloudEvent last = event("runnel.market.category.updated.v1", "/runnel/market", subject).build();
    publish("runnel.market", last);
    awaitStored("event_id = '" + last.getId() + "'", 1);
    assertThat(ids(items(list("subject=" + subject, admin()))))
        .containsExactly(last.getId(), after.getId(), twice.getId());
    assertThat(
            TestPostgres.get()
                .queryOne(
                    DB,
                    "select count(*) from runnel_inbox where consumer = 'trail' and event_id = '"
                        + twice.getId()
                        + "'"))
        .isEqualTo(1L);
  }

  @Test
  void aRecordThatIsNotACloudEventGoesToTheDeadLetterTopicAndLaterEventsAreStillStored()
      throws Exception {
    String key = "poison-" + UUID.randomUUID();
    try (TopicRecorder deadLetters =
        new TopicRecorder(TestKafka.get().bootstrapServers(), "runnel.market.dlt")) {
      producer
          .send(
              new ProducerRecord<>(
                  "runnel.market", key, "not a cloud event".getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
      CloudEvent valid = event("runnel.market.category.created.v1", "/runnel/market", key).build();
      publish("runnel.market", valid);

      awaitStored("event_id = '" + valid.getId() + "'", 1);
      TopicRecorder.Message dead = deadLetters.await(m -> key.equals(m.key()), DELIVERY);
      assertThat(dead.value()).isEqualTo("not a cloud event");
      assertThat(
              TestPostgres.get()
                  .queryOne(DB, "select count(*) from audit_event where subject = '" + key + "'"))
          .isEqualTo(1L);
    }
  }

  @Test
  void theTrailCannotBeChangedOrEmptiedWithSql() {
    CloudEvent event =
        event("runnel.identity.member.added.v1", "/runnel/identity", "m-" + UUID.randomUUID())
            .withExtension("actor", "ada")
            .build();
    publish("runnel.identity", event);
    String where = "event_id = '" + event.getId() + "'";
    awaitStored(where, 1);
    Object rows = TestPostgres.get().queryOne(DB, "select count(*) from audit_event");

    for (String sql :
        List.of(
            "update audit_event set actor = 'mallory' where " + where,
            "delete from audit_event where " + where,
            "delete from audit_event where event_id = 'no-such-event'",
            "truncate audit_event")) {
      assertThatThrownBy(() -> TestPostgres.get().execute(DB, sql))
          .as(sql)
          .hasMessageContaining("audit_event is append-only");
    }

    assertThat(TestPostgres.get().queryOne(DB, "select actor from audit_event where " + where))
        .isEqualTo("ada");
    assertThat(TestPostgres.get().queryOne(DB, "select count(*) from audit_event")).isEqualTo(rows);
  }

  @Test
  void verificationRecomputesTheChainAndFindsATamperedEntry() {
    String subject = "verify-" + UUID.randomUUID();
    List<CloudEvent> events = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      CloudEvent e =
          event("runnel.monitor.alert.fired.v1", "/runnel/monitor", subject)
              .withData("application/json", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))
              .build();
      events.add(e);
      publish("runnel.monitor", e);
    }
    awaitStored("subject = '" + subject + "'", 7);
    long total = (Long) TestPostgres.get().queryOne(DB, "select count(*) from audit_event");
    assertThat(total).isGreaterThan(2L * settings.verifyPageSize());

    expectVerify()
        .jsonPath("$.valid")
        .isEqualTo(true)
        .jsonPath("$.checked")
        .isEqualTo((int) total)
        .jsonPath("$.firstBrokenSeq")
        .isEmpty();

    String target = "event_id = '" + events.get(2).getId() + "'";
    long seq =
        (Long) TestPostgres.get().queryOne(DB, "select seq from audit_event where " + target);
    asSuperuserBypassingTheTrigger("update audit_event set data = '{\"n\":99}' where " + target);
    try {
      expectVerify()
          .jsonPath("$.valid")
          .isEqualTo(false)
          .jsonPath("$.checked")
          .isEqualTo((int) total)
          .jsonPath("$.firstBrokenSeq")
          .isEqualTo((int) seq);
    } finally {
      asSuperuserBypassingTheTrigger("update audit_event set data = '{\"n\":2}' where " + target);
    }
    expectVerify().jsonPath("$.valid").isEqualTo(true);
  }

  @Test
  void onlyPlatformAdminsAndAuditorsReadTheTrail() {
    CloudEvent event = event("runnel.gateway.route.changed.v1", "/runnel/gateway", "r-1").build();
    publish("runnel.gateway", event);
    awaitStored("event_id = '" + event.getId() + "'", 1);
    String auditor = TestTokens.get().user("quinn").platformRole("platform-auditor").mint();
    String teamAdmin = TestTokens.get().user("ada").teamRole("acme", "team-admin").mint();

    for (String path :
        List.of(
            "/api/audit/v1/events",
            "/api/audit/v1/events/" + event.getId(),
            "/api/audit/v1/chain/verify")) {
      get(path, admin()).expectStatus().isOk();
      get(path, auditor).expectStatus().isOk();
      get(path, teamAdmin)
          .expectStatus()
          .isForbidden()
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.detail")
          .isEqualTo("This action needs one of the roles platform-admin, platform-auditor");
      web.get()
          .uri(path)
          .exchange()
          .expectStatus()
          .isUnauthorized()
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
  }

  @Test
  void badFiltersAreProblemsThatNameTheField() {
    Map<String, String> badQueries =
        Map.of(
            "from=yesterday",
            "from",
            "to=2026-13-01T00:00:00Z",
            "to",
            "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
            "from",
            "limit=0",
            "limit",
            "limit=201",
            "limit",
            "limit=many",
            "limit",
            "cursor=not-a-cursor",
            "cursor",
            "type=runnel.*.created.v1",
            "type",
            "team=" + "t".repeat(257),
            "team",
            "actor=" + "a".repeat(257),
            "actor");
    badQueries.forEach(
        (query, field) ->
            get("/api/audit/v1/events?" + query, admin())
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo(field));

    get("/api/audit/v1/events/" + UUID.randomUUID(), admin())
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  private static String admin() {
    return TestTokens.get().admin();
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static CloudEventBuilder event(String type, String source, String subject) {
    return CloudEventBuilder.v1()
        .withId(UUID.randomUUID().toString())
        .withType(type)
        .withSource(URI.create(source))
        .withSubject(subject)
        .withTime(OffsetDateTime.now(ZoneOffset.UTC));
  }

  private static CloudEvent teamEvent(
      String type, String subject, String team, String actor, String time) {
    String service = type.split("\\.")[1];
    return event(type, "/runnel/" + service, subject)
        .withTime(OffsetDateTime.parse(time))
        .withExtension("team", team)
        .withExtension("actor", actor)
        .withData("application/json", "{}".getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private static String publishTeamEvent(String team, String key) {
    CloudEvent e =
        event("runnel.market.app.published.v1", "/runnel/market", key)
            .withExtension("team", team)
            .build();
    publish("runnel.market", e);
    return e.getId();
  }

  /** Sends as a producing service's relay does: binary mode, the subject as the key. */
  private static void publish(String topic, CloudEvent event) {
    ProducerRecord<String, byte[]> record =
        KafkaMessageFactory.createWriter(topic, event.getSubject()).writeBinary(event);
    try {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("could not publish " + event.getId() + " to " + topic, e);
    }
  }

  /** Waits until the trail holds at least {@code count} rows matching the SQL condition. */
  private static void awaitStored(String condition, long count) {
    await()
        .atMost(DELIVERY)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                ((Number)
                            TestPostgres.get()
                                .queryOne(
                                    DB, "select count(*) from audit_event where " + condition))
                        .longValue()
                    >= count);
  }

  private static void asSuperuserBypassingTheTrigger(String sql) {
    TestPostgres.get()
        .execute(
            DB,
            "alter table audit_event disable trigger audit_event_append_only; "
                + sql
                + "; alter table audit_event enable trigger audit_event_append_only");
  }

  private WebTestClient.ResponseSpec get(String path, String token) {
    return web.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange();
  }

  private Map<String, Object> list(String query, String token) {
    return get("/api/audit/v1/events?" + query, token)
        .expectStatus()
        .isOk()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  private WebTestClient.BodyContentSpec expectEvent(String id) {
    return get("/api/audit/v1/events/" + id, admin()).expectStatus().isOk().expectBody();
  }

  private WebTestClient.BodyContentSpec expectVerify() {
    return get("/api/audit/v1/chain/verify", admin()).expectStatus().isOk().expectBody();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(Map<String, Object> page) {
    return (List<Map<String, Object>>) page.get("items");
  }

  private static List<String> ids(List<Map<String, Object>> items) {
    return items.stream().map(i -> (String) i.get("id")).toList();
  }
}
