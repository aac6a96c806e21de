package dev.runnel.kit.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.kit.events.OutgoingEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AccessDenialsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<OutgoingEvent> outbox = new CopyOnWriteArrayList<>();
  private final List<OutgoingEvent> kafka = new CopyOnWriteArrayList<>();

  private AccessDenials denials(
      Function<OutgoingEvent, Mono<Void>> toOutbox,
      Function<OutgoingEvent, Mono<Void>> toKafka,
      int maxPerSecond) {
    return new AccessDenials(
        "market",
        toOutbox,
        toKafka,
        JSON,
        Duration.ofSeconds(1),
        maxPerSecond,
        Duration.ofSeconds(5),
        meters,
        now::get);
  }

  private Function<OutgoingEvent, Mono<Void>> into(List<OutgoingEvent> sink) {
    return e -> Mono.fromRunnable(() -> sink.add(e));
  }

  private static Function<OutgoingEvent, Mono<Void>> failing(String why) {
    return e -> Mono.error(new IllegalStateException(why));
  }

  private static DeniedRequest denied(String user, String path, int status) {
    Caller caller = new Caller("sub-" + user, user, Set.of(), Map.of("acme", "team-viewer"));
    return status == 404
        ? new DeniedRequest(
            "GET",
            path,
            "/api/market/v1/things/{id}",
            404,
            Denial.Reason.OTHER_TEAMS_OBJECT,
            null,
            caller,
            "zeta",
            "Thing",
            "t-1")
        : new DeniedRequest(
            "DELETE",
            path,
            null,
            403,
            Denial.Reason.FORBIDDEN_ACTION,
            "This action needs one of the roles platform-admin",
            caller,
            null,
            null,
            null);
  }

  private double count(String outcome) {
    return meters.get("runnel.denials").tag("outcome", outcome).counter().count();
  }

  @Test
  void aDenialBecomesAnEventNamingTheActorButNeverTheirToken() {
    AccessDenials d = denials(into(outbox), into(kafka), 100);

    StepVerifier.create(d.record(denied("ada", "/api/market/v1/things/t-1", 404))).verifyComplete();

    assertThat(outbox).hasSize(1);
    OutgoingEvent e = outbox.get(0);
    assertThat(e.type()).isEqualTo("runnel.market.access.denied.v1");
    assertThat(e.subject()).isEqualTo("/api/market/v1/things/t-1");
    assertThat(e.team()).isEqualTo("zeta");
    assertThat(e.actor()).isEqualTo("ada");
    JsonNode data = JSON.readTree(e.data());
    assertThat(data.path("status").asInt()).isEqualTo(404);
    assertThat(data.path("reason").asString()).isEqualTo("other-teams-object");
    assertThat(data.path("actor").path("subject").asString()).isEqualTo("sub-ada");
    assertThat(data.path("actor").path("teams").path("acme").asString()).isEqualTo("team-viewer");
    assertThat(data.path("object").path("kind").asString()).isEqualTo("Thing");
    assertThat(data.has("detail")).as("a 404 tells the trail nothing the client saw").isFalse();
    assertThat(kafka).isEmpty();
  }

  @Test
  void identicalDenialsWithinTheWindowAreOneEventThatCountsTheRepeats() {
    AccessDenials d = denials(into(outbox), into(kafka), 100);
    for (int i = 0; i < 5; i++) {
      StepVerifier.create(d.record(denied("mallory", "/api/market/v1/x", 403))).verifyComplete();
    }
    StepVerifier.create(d.record(denied("ada", "/api/market/v1/x", 403))).verifyComplete();
    assertThat(outbox).hasSize(2);
    assertThat(count("coalesced")).isEqualTo(4);

    now.addAndGet(Duration.ofSeconds(1).toNanos());
    StepVerifier.create(d.record(denied("mallory", "/api/market/v1/x", 403))).verifyComplete();

    assertThat(outbox).hasSize(3);
    assertThat(JSON.readTree(outbox.get(2).data()).path("repeated").asLong()).isEqualTo(4);
  }

  @Test
  void aFloodOfDistinctDenialsIsBoundedByTheRate() {
    AccessDenials d = denials(into(outbox), into(kafka), 10);
    for (int i = 0; i < 50; i++) {
      StepVerifier.create(d.record(denied("mallory", "/api/market/v1/x/" + i, 403)))
          .verifyComplete();
    }
    assertThat(outbox).hasSize(10);
    assertThat(count("rate-limited")).isEqualTo(40);

    now.addAndGet(Duration.ofMillis(500).toNanos());
    StepVerifier.create(d.record(denied("mallory", "/api/market/v1/y", 403))).verifyComplete();
    assertThat(outbox).as("half a second refills half the rate").hasSize(11);
  }

  @Test
  void whenTheOutboxFailsTheEventGoesToKafkaDirectly() {
    AccessDenials d = denials(failing("database down"), into(kafka), 100);

    StepVerifier.create(d.record(denied("ada", "/api/market/v1/x", 403))).verifyComplete();

    assertThat(kafka).hasSize(1);
    assertThat(count("sent-directly")).isEqualTo(1);
    assertThat(count("lost")).isZero();
  }

  @Test
  void whenBothFailTheDenialIsCountedAsLostAndRecordingStillCompletes() {
    AccessDenials d = denials(failing("database down"), failing("kafka down"), 100);

    StepVerifier.create(d.record(denied("ada", "/api/market/v1/x", 403))).verifyComplete();

    assertThat(count("lost")).isEqualTo(1);
    assertThat(count("recorded")).isZero();
  }
}
