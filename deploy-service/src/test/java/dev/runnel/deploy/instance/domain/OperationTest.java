package dev.runnel.deploy.instance.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OperationTest {
  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

  private static Operation pending() {
    return Operation.pending(
        UUID.randomUUID(),
        UUID.randomUUID(),
        OperationKind.INSTALL,
        "alice",
        "{}",
        T0,
        T0.plus(Duration.ofMinutes(15)));
  }

  @Test
  void stepsFinishInOrderAndTheLastOneTakesTheOutcome() {
    Operation op =
        pending()
            .running(T0, Duration.ofMinutes(15))
            .step("Apply", T0.plusSeconds(1))
            .step("Wait for health", T0.plusSeconds(2))
            .failed("Degraded: Pod/x: image pull", T0.plusSeconds(3));
    assertThat(op.status()).isEqualTo(OperationStatus.FAILED);
    assertThat(op.steps())
        .extracting(Operation.Step::status)
        .containsExactly(OperationStatus.SUCCEEDED, OperationStatus.FAILED);
    assertThat(op.steps().get(1).message()).contains("image pull");
    assertThat(op.error()).contains("Degraded");
    assertThat(op.finishedAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(op.log())
        .extracting(Operation.LogLine::message)
        .contains("Apply", "Wait for health");
  }

  @Test
  void theLogKeepsItsNewestLines() {
    Operation op = pending();
    for (int i = 0; i < Operation.MAX_LOG + 10; i++) {
      op = op.logged("line " + i, T0);
    }
    assertThat(op.log()).hasSize(Operation.MAX_LOG);
    assertThat(op.log().get(op.log().size() - 1).message())
        .isEqualTo("line " + (Operation.MAX_LOG + 9));
  }

  @Test
  void aQueuedOperationsTimeLimitStartsWhenItRuns() {
    Operation queued =
        Operation.queued(
            UUID.randomUUID(), UUID.randomUUID(), OperationKind.INSTALL, "alice", "{}", T0);
    assertThat(queued.status()).isEqualTo(OperationStatus.QUEUED);
    assertThat(queued.deadlineAt()).isNull();
    assertThat(queued.pastDeadline(T0.plus(Duration.ofDays(1)))).isFalse();

    Instant start = T0.plus(Duration.ofMinutes(40));
    Operation running = queued.running(start, Duration.ofMinutes(15));
    assertThat(running.deadlineAt()).isEqualTo(start.plus(Duration.ofMinutes(15)));
    assertThat(running.pastDeadline(start.plus(Duration.ofMinutes(14)))).isFalse();
    assertThat(running.pastDeadline(start.plus(Duration.ofMinutes(16)))).isTrue();
  }

  @Test
  void itMayBeCancelledOnlyAfterItsDeadline() {
    Operation op = pending();
    assertThat(op.pastDeadline(T0.plus(Duration.ofMinutes(14)))).isFalse();
    assertThat(op.pastDeadline(T0.plus(Duration.ofMinutes(16)))).isTrue();
  }
}
