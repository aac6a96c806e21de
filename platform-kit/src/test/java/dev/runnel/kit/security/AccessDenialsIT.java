package dev.runnel.kit.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.testkit.EventSchemas;
import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestKafka;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Denials become events on a real PostgreSQL outbox and a real broker: what the client is answered
 * does not change, another team's object looks exactly like a missing one, repeats are coalesced,
 * and an outbox that fails does not lose the event or change the answer.
 */
@RunnelInfra
@SpringBootTest(
    classes = DenialTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "runnel.service=kitdenial",
      "runnel.database.migration-locations=classpath:db/migration/kittest",
      "runnel.events.relay-max-backoff=500ms",
      "runnel.denials.timeout=20s",
      // Long enough that a burst on a busy machine always falls into one window.
      "runnel.denials.coalesce-window=60s"
    })
@AutoConfigureWebTestClient(timeout = "60s")
class AccessDenialsIT {
  private static final String DB = TestPostgres.get().freshDatabase("kitdenial");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TYPE = "runnel.kitdenial.access.denied.v1";
  private static final ParameterizedTypeReference<Map<String, Object>> MAP =
      new ParameterizedTypeReference<>() {};
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static TopicRecorder topic;

  @Autowired WebTestClient web;
  @Autowired MeterRegistry meters;

  @DynamicPropertySource
  static void infra(DynamicPropertyRegistry registry) {
    RunnelTestInfra.register(registry::add, DB);
  }

  @BeforeAll
  static void record() {
    topic = new TopicRecorder(TestKafka.get().bootstrapServers(), "runnel.kitdenial");
  }

  @AfterAll
  static void stopRecording() {
    topic.close();
  }

  private static String user() {
    return "u-" + UUID.randomUUID();
  }

  private static String member(String user) {
    return TestTokens.get().user(user).teamRole("acme", "team-member").mint();
  }

  private double count(String outcome) {
    return meters.get("runnel.denials").tag("outcome", outcome).counter().count();
  }

  private TopicRecorder.Message denialOf(String user) {
    TopicRecorder.Message m =
        topic.await(e -> TYPE.equals(e.type()) && user.equals(e.header("ce_actor")), WAIT);
    // Every service's denial has the same shape; market's schema is the one published for it.
    EventSchemas.assertValid("runnel.market.access.denied.v1", m.value());
    return m;
  }

  @Test
  void aForbiddenActionIsAnswered403AndRecorded() {
    String user = user();
    web.delete()
        .uri("/api/kitdenial/v1/things/t-1?token=not-in-the-event")
        .headers(h -> h.setBearerAuth(member(user)))
        .exchange()
        .expectStatus()
        .isForbidden();

    TopicRecorder.Message m = denialOf(user);
    JsonNode data = JSON.readTree(m.value());
    assertThat(m.header("ce_source")).isEqualTo("/runnel/kitdenial");
    assertThat(m.subject()).isEqualTo("/api/kitdenial/v1/things/t-1");
    assertThat(data.path("status").asInt()).isEqualTo(403);
    assertThat(data.path("reason").asString()).isEqualTo("forbidden-action");
    assertThat(data.path("route").asString()).isEqualTo("/api/kitdenial/v1/things/{id}");
    assertThat(data.path("actor").path("username").asString()).isEqualTo(user);
    assertThat(data.path("actor").path("teams").path("acme").asString()).isEqualTo("team-member");
    assertThat(m.value()).doesNotContain("not-in-the-event").doesNotContain("eyJ");
  }

  @Test
  void anotherTeamsObjectLooksMissingToTheClientButIsRecordedAsAScopeDenial() {
    String user = user();
    Map<String, Object> hidden =
        web.get()
            .uri("/api/kitdenial/v1/things/t-7")
            .headers(h -> h.setBearerAuth(member(user)))
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody(MAP)
            .returnResult()
            .getResponseBody();
    double recordedBefore = count("recorded") + count("sent-directly");
    Map<String, Object> missing =
        web.get()
            .uri("/api/kitdenial/v1/things/missing")
            .headers(h -> h.setBearerAuth(member(user)))
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody(MAP)
            .returnResult()
            .getResponseBody();

    assertThat(hidden.keySet()).isEqualTo(missing.keySet());
    assertThat(hidden.get("type")).isEqualTo(missing.get("type"));
    assertThat(hidden.get("title")).isEqualTo(missing.get("title"));
    assertThat(hidden.get("detail")).isEqualTo("Thing 't-7' does not exist");
    assertThat(count("recorded") + count("sent-directly"))
        .as("a genuinely missing object is no denial")
        .isEqualTo(recordedBefore);

    TopicRecorder.Message m = denialOf(user);
    JsonNode data = JSON.readTree(m.value());
    assertThat(m.header("ce_team")).isEqualTo("zeta");
    assertThat(data.path("status").asInt()).isEqualTo(404);
    assertThat(data.path("reason").asString()).isEqualTo("other-teams-object");
    assertThat(data.path("requestedTeam").asString()).isEqualTo("zeta");
    assertThat(data.path("object").path("id").asString()).isEqualTo("t-7");
  }

  @Test
  void identicalDenialsInABurstAreOneEvent() {
    String user = user();
    double coalescedBefore = count("coalesced");
    double recordedBefore = count("recorded") + count("sent-directly");
    for (int i = 0; i < 5; i++) {
      web.delete()
          .uri("/api/kitdenial/v1/things/t-burst")
          .headers(h -> h.setBearerAuth(member(user)))
          .exchange()
          .expectStatus()
          .isForbidden();
    }
    // Each answer leaves after its denial was recorded or coalesced, so the counters are final.
    assertThat(count("recorded") + count("sent-directly") - recordedBefore).isEqualTo(1);
    assertThat(count("coalesced") - coalescedBefore).isEqualTo(4);
    assertThat(JSON.readTree(denialOf(user).value()).path("repeated").asLong()).isZero();
  }

  @Test
  void springSecuritysOwnRefusalIsRecordedToo() {
    String user = user();
    web.get()
        .uri("/actuator/metrics")
        .headers(h -> h.setBearerAuth(member(user)))
        .exchange()
        .expectStatus()
        .isForbidden();

    JsonNode data = JSON.readTree(denialOf(user).value());
    assertThat(data.path("path").asString()).isEqualTo("/actuator/metrics");
    assertThat(data.path("status").asInt()).isEqualTo(403);
  }

  @Test
  void anUnauthenticatedRequestIsNoEvent() {
    double before = count("recorded") + count("sent-directly") + count("coalesced");
    web.delete().uri("/api/kitdenial/v1/things/t-1").exchange().expectStatus().isUnauthorized();
    assertThat(count("recorded") + count("sent-directly") + count("coalesced")).isEqualTo(before);
  }

  @Test
  void whenTheOutboxFailsTheAnswerIsTheSameAndTheEventStillArrives() {
    String user = user();
    double directBefore = count("sent-directly");
    TestPostgres.get().execute(DB, "alter table runnel_outbox rename to runnel_outbox_away");
    try {
      web.delete()
          .uri("/api/kitdenial/v1/things/t-1")
          .headers(h -> h.setBearerAuth(member(user)))
          .exchange()
          .expectStatus()
          .isForbidden()
          .expectBody()
          .jsonPath("$.type")
          .isEqualTo("https://runnel.dev/problems/forbidden");
    } finally {
      TestPostgres.get().execute(DB, "alter table runnel_outbox_away rename to runnel_outbox");
    }
    assertThat(count("sent-directly")).isEqualTo(directBefore + 1);
    assertThat(JSON.readTree(denialOf(user).value()).path("status").asInt()).isEqualTo(403);
  }
}
