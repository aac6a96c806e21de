package dev.runnel.audit.trail.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.audit.trail.domain.ChainVerification;
import dev.runnel.audit.trail.domain.HashChain;
import dev.runnel.audit.trail.domain.TrailEntry;
import dev.runnel.kit.events.IncomingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.reactive.TransactionCallback;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class AppendToTrailTest {
  private static final Instant NOW = Instant.parse("2026-04-01T08:00:00.123456789Z");

  /** Runs the work as it is: the in-memory trail has no transactions to join. */
  private static final TransactionalOperator NO_TRANSACTION =
      new TransactionalOperator() {
        @Override
        public <T> Flux<T> execute(TransactionCallback<T> action) {
          return Flux.from(action.doInTransaction(null));
        }
      };

  private final InMemoryAuditTrail trail = new InMemoryAuditTrail();
  private final AppendToTrail append =
      new AppendToTrail(trail, NO_TRANSACTION, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void eventsAreChainedInTheOrderTheyArrive() {
    StepVerifier.create(append.append(event("e1", "{\"id\":\"a\"}")))
        .expectNext(true)
        .verifyComplete();
    StepVerifier.create(append.append(event("e2", "[1,2]"))).expectNext(true).verifyComplete();

    TrailEntry first = trail.at(1);
    TrailEntry second = trail.at(2);
    assertThat(first.prevHash()).isEqualTo(HashChain.GENESIS);
    assertThat(second.prevHash()).isEqualTo(first.hash());
    assertThat(second.record().data()).isEqualTo("[1,2]");
    ChainVerification verification = new ChainVerification();
    trail.entries().forEach(verification::check);
    assertThat(verification.report().valid()).isTrue();
  }

  @Test
  void everyAttributeOfTheEventIsKept() {
    StepVerifier.create(append.append(event("e1", "{}"))).expectNext(true).verifyComplete();

    var r = trail.at(1).record();
    assertThat(r.eventId()).isEqualTo("e1");
    assertThat(r.type()).isEqualTo("runnel.deploy.instance.installed.v1");
    assertThat(r.source()).isEqualTo("/runnel/deploy");
    assertThat(r.subject()).isEqualTo("instance-9");
    assertThat(r.team()).isEqualTo("acme");
    assertThat(r.actor()).isEqualTo("ada");
    assertThat(r.occurredAt()).isEqualTo(Instant.parse("2026-04-01T07:59:59Z"));
    assertThat(r.receivedAt()).isEqualTo(Instant.parse("2026-04-01T08:00:00.123456Z"));
    assertThat(r.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(r.topic()).isEqualTo("runnel.deploy");
    assertThat(r.partition()).isEqualTo(2);
    assertThat(r.offset()).isEqualTo(17L);
  }

  @Test
  void anEventAlreadyInTheTrailIsNotStoredAgain() {
    StepVerifier.create(append.append(event("e1", "{}"))).expectNext(true).verifyComplete();
    StepVerifier.create(append.append(event("e1", "{}"))).expectNext(false).verifyComplete();

    assertThat(trail.entries()).hasSize(1);
  }

  private static IncomingEvent event(String id, String data) {
    return new IncomingEvent(
        id,
        "runnel.deploy.instance.installed.v1",
        "/runnel/deploy",
        "instance-9",
        Instant.parse("2026-04-01T07:59:59Z"),
        "acme",
        "ada",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        data.getBytes(StandardCharsets.UTF_8),
        "runnel.deploy",
        2,
        17);
  }
}
