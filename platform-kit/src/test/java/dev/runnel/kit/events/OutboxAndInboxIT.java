package dev.runnel.kit.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.testkit.KafkaBroker;
import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestKafka;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TopicRecorder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The kit's promise, on a real PostgreSQL and a real broker process: an event recorded in a
 * committed transaction is handled exactly once, whatever stops in between; an event recorded in a
 * rolled-back transaction never leaves.
 */
@RunnelInfra
@SpringBootTest(
    classes = KitTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "runnel.service=kittest",
      "runnel.events.relay-batch-size=50",
      "runnel.events.consumer-retry-delay=100ms",
      "runnel.events.relay-max-backoff=1s"
    })
class OutboxAndInboxIT {
  private static final String DB = TestPostgres.get().freshDatabase("kittest");
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static TopicRecorder deadLetters;
  private static TopicRecorder topic;

  @Autowired Outbox outbox;
  @Autowired TransactionalOperator tx;
  @Autowired OutboxRelay relay;

  @DynamicPropertySource
  static void infra(DynamicPropertyRegistry registry) {
    RunnelTestInfra.register(registry::add, DB);
  }

  @BeforeAll
  static void record() {
    deadLetters = new TopicRecorder(TestKafka.get().bootstrapServers(), "runnel.kittest.dlt");
    topic = new TopicRecorder(TestKafka.get().bootstrapServers(), "runnel.kittest");
  }

  @AfterAll
  static void stopRecording() {
    deadLetters.close();
    topic.close();
  }

  private static OutgoingEvent event(String subject, String data) {
    return OutgoingEvent.of("runnel.kittest.thing.happened.v1", subject, "acme", "tester", data);
  }

  private void commit(List<OutgoingEvent> events) {
    StepVerifier.create(
            tx.transactional(Flux.fromIterable(events).concatMap(outbox::record).then()))
        .verifyComplete();
  }

  private static long handledCount(String where) {
    return (Long) TestPostgres.get().queryOne(DB, "select count(*) from handled where " + where);
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void anEventOfARolledBackTransactionIsNeverPublished() {
    String run = UUID.randomUUID().toString();
    Mono<Void> failing =
        outbox
            .record(event("rolled-back-" + run, "{\"n\":1}"))
            .then(Mono.error(new IllegalStateException("the change failed")));
    StepVerifier.create(tx.transactional(failing))
        .expectError(IllegalStateException.class)
        .verify();
    commit(List.of(event("committed-" + run, "{\"n\":2}")));

    await(
        "the committed event is handled",
        () -> handledCount("subject = 'committed-" + run + "'") == 1);
    // The relay sends in commit order and the later event is through: the earlier one is gone.
    assertThat(handledCount("subject = 'rolled-back-" + run + "'")).isZero();
    assertThat(topic.messages()).noneMatch(m -> ("rolled-back-" + run).equals(m.subject()));
    assertThat(
            TestPostgres.get()
                .queryOne(
                    DB, "select count(*) from runnel_outbox where subject like '%" + run + "'"))
        .isEqualTo(0L);
  }

  @Test
  void eventsRecordedWhileKafkaIsDownAreDeliveredOnceItIsBack() {
    KafkaBroker kafka = TestKafka.get();
    String subject = "outage-" + UUID.randomUUID();
    kafka.stop();
    try {
      List<OutgoingEvent> events = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        events.add(event(subject, "{\"n\":" + i + "}"));
      }
      commit(events);
      await("the relay reports rows pending", () -> relay.pending() > 0);
    } finally {
      kafka.start();
    }
    await("all 300 are handled", () -> handledCount("subject = '" + subject + "'") >= 300);
    assertThat(handledCount("subject = '" + subject + "'")).isEqualTo(300);
    assertThat(
            TestPostgres.get()
                .queryOne(
                    DB,
                    "select count(distinct event_id) from handled where subject = '"
                        + subject
                        + "'"))
        .isEqualTo(300L);
    assertOrderedWithin(subject, 300);
  }

  @Test
  void aRelayStoppedAndABrokerKilledMidStreamLoseAndDuplicateNothing() {
    KafkaBroker kafka = TestKafka.get();
    String subject = "crash-" + UUID.randomUUID();
    List<OutgoingEvent> events = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      events.add(event(subject + "-" + (i % 10), "{\"n\":" + i + "}"));
    }
    commit(events);
    relay.stop();
    relay.start();
    kafka.kill();
    kafka.start();
    relay.stop();
    relay.start();

    await("all 1000 are handled", () -> handledCount("subject like '" + subject + "-%'") >= 1000);
    assertThat(handledCount("subject like '" + subject + "-%'")).isEqualTo(1000);
    for (int k = 0; k < 10; k++) {
      assertOrderedWithin(subject + "-" + k, 100);
    }
  }

  @Test
  void theSameEventDeliveredTwiceIsHandledOnce() {
    String subject = "twice-" + UUID.randomUUID();
    OutgoingEvent once = event(subject, "{\"n\":1}");
    commit(List.of(once));
    await("the first delivery is handled", () -> handledCount("subject = '" + subject + "'") == 1);

    // What a relay that crashed after Kafka's ack but before its commit would send again.
    commit(List.of(once));
    OutgoingEvent marker = event(subject, "{\"n\":2}");
    commit(List.of(marker));

    await(
        "the marker after the duplicate is handled",
        () -> handledCount("event_id = '" + marker.id() + "'") == 1);
    // The recorder is a consumer of its own and may be behind the handler: wait for it too.
    await(
        "both copies are on the topic",
        () ->
            topic.messages().stream().filter(m -> once.id().toString().equals(m.id())).count()
                == 2);
    assertThat(handledCount("event_id = '" + once.id() + "'")).isEqualTo(1);
  }

  @Test
  void aFailingEventIsRetriedABoundedNumberOfTimesThenDeadLetteredAndOthersFlow() {
    String subject = "poison-" + UUID.randomUUID();
    OutgoingEvent poison = event(subject, "{\"poison\":true}");
    OutgoingEvent after = event(subject, "{\"n\":1}");
    commit(List.of(poison));
    commit(List.of(after));

    TopicRecorder.Message dead =
        deadLetters.await(m -> poison.id().toString().equals(m.id()), WAIT);
    await(
        "the event after the poison is handled",
        () -> handledCount("event_id = '" + after.id() + "'") == 1);

    assertThat(dead.type()).isEqualTo("runnel.kittest.thing.happened.v1");
    assertThat(KitTestApplication.ATTEMPTS.get(poison.id().toString()).get()).isEqualTo(3);
    assertThat(handledCount("event_id = '" + poison.id() + "'")).isZero();
  }

  @Test
  void aBulkHandlerKeepsTheRestOfAPollAndDeadLettersOnlyTheFailingEvent() {
    String subject = "bulk-" + UUID.randomUUID();
    OutgoingEvent before = event(subject, "{\"n\":1}");
    OutgoingEvent failing = event(subject, "{\"bulkFail\":true}");
    OutgoingEvent after = event(subject, "{\"n\":2}");
    commit(List.of(before, failing, after));

    deadLetters.await(m -> failing.id().toString().equals(m.id()), WAIT);
    await(
        "the event after the failing one is written by the bulk handler",
        () -> bulkCount(after) == 1);

    assertThat(bulkCount(before)).isEqualTo(1);
    assertThat(bulkCount(failing)).isZero();
    // The other handler of the same topic has its own group and inbox: it handled all three.
    await("the per-event handler saw the failing one", () -> handledCount(failing) == 1);
  }

  private static long bulkCount(OutgoingEvent event) {
    return (Long)
        TestPostgres.get()
            .queryOne(
                DB, "select count(*) from handled_in_bulk where event_id = '" + event.id() + "'");
  }

  private static long handledCount(OutgoingEvent event) {
    return handledCount("event_id = '" + event.id() + "'");
  }

  @Test
  void aRecordThatIsNotACloudEventGoesToTheDeadLetterTopicWithoutRetries() throws Exception {
    String marker = "garbage-" + UUID.randomUUID();
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      producer
          .send(
              new ProducerRecord<>(
                  "runnel.kittest", marker, marker.getBytes(StandardCharsets.UTF_8)))
          .get();
    }
    OutgoingEvent after = event(marker, "{\"n\":1}");
    commit(List.of(after));

    TopicRecorder.Message dead = deadLetters.await(m -> marker.equals(m.key()), WAIT);
    await("the next event is handled", () -> handledCount("event_id = '" + after.id() + "'") == 1);
    assertThat(dead.value()).isEqualTo(marker);
    assertThat(dead.header("kafka_dlt-exception-message")).contains("is not a CloudEvent");
  }

  /** Events of one aggregate are handled in the order they were recorded. */
  private static void assertOrderedWithin(String subject, int expected) {
    Object ordered =
        TestPostgres.get()
            .queryOne(
                DB,
                "select count(*) from (select (data::json->>'n')::int as n, lag((data::json->>'n')::int)"
                    + " over (order by seq) as prev from handled where subject = '"
                    + subject
                    + "') s where prev is not null and n < prev");
    assertThat(ordered).as("events of %s out of order", subject).isEqualTo(0L);
    assertThat(handledCount("subject = '" + subject + "'")).isEqualTo(expected);
  }
}
