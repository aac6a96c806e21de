package dev.runnel.deploy.instance.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One change to an instance, followed from request to outcome: its steps, its log, who asked and
 * when. Immutable; each change returns the next state.
 *
 * @param request the request as the user sent it (JSON, secrets excluded), for the timeline
 * @param deadlineAt after this a running operation may be cancelled; counted from when it starts
 *     running, so null while it is queued (a queued operation may be cancelled at any time)
 */
public record Operation(
    UUID id,
    UUID instanceId,
    OperationKind kind,
    OperationStatus status,
    List<Step> steps,
    List<LogLine> log,
    String actor,
    String request,
    String error,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Instant deadlineAt) {

  /** The longest log kept per operation; older lines give way (the outcome is in steps/error). */
  public static final int MAX_LOG = 500;

  public Operation {
    steps = List.copyOf(steps);
    log = List.copyOf(log);
  }

  public record Step(
      String name, OperationStatus status, Instant startedAt, Instant finishedAt, String message) {}

  public record LogLine(Instant time, String message) {}

  /** Accepted and waiting for a free slot on its cluster; its time limit has not started. */
  public static Operation queued(
      UUID id, UUID instanceId, OperationKind kind, String actor, String request, Instant now) {
    return new Operation(
        id,
        instanceId,
        kind,
        OperationStatus.QUEUED,
        List.of(),
        List.of(),
        actor,
        request,
        null,
        now,
        null,
        null,
        null);
  }

  public static Operation pending(
      UUID id,
      UUID instanceId,
      OperationKind kind,
      String actor,
      String request,
      Instant now,
      Instant deadline) {
    return new Operation(
        id,
        instanceId,
        kind,
        OperationStatus.PENDING,
        List.of(),
        List.of(),
        actor,
        request,
        null,
        now,
        null,
        null,
        deadline);
  }

  /**
   * Starts running now; the time limit counts from here, so time spent queued never eats into it.
   */
  public Operation running(Instant now, Duration timeLimit) {
    return new Operation(
        id,
        instanceId,
        kind,
        OperationStatus.RUNNING,
        steps,
        log,
        actor,
        request,
        error,
        createdAt,
        now,
        null,
        now.plus(timeLimit));
  }

  /** Starts a step (finishing a running one first, as succeeded). */
  public Operation step(String name, Instant now) {
    List<Step> next = new ArrayList<>(closeRunning(now));
    next.add(new Step(name, OperationStatus.RUNNING, now, null, null));
    return withSteps(next).logged(name, now);
  }

  public Operation logged(String message, Instant now) {
    List<LogLine> next = new ArrayList<>(log);
    next.add(new LogLine(now, message));
    while (next.size() > MAX_LOG) {
      next.remove(0);
    }
    return new Operation(
        id,
        instanceId,
        kind,
        status,
        steps,
        next,
        actor,
        request,
        error,
        createdAt,
        startedAt,
        finishedAt,
        deadlineAt);
  }

  public Operation succeeded(Instant now) {
    return finish(OperationStatus.SUCCEEDED, null, now);
  }

  public Operation failed(String reason, Instant now) {
    return finish(OperationStatus.FAILED, reason, now);
  }

  public Operation cancelled(String reason, Instant now) {
    return finish(OperationStatus.CANCELLED, reason, now);
  }

  private Operation finish(OperationStatus outcome, String reason, Instant now) {
    List<Step> next = new ArrayList<>();
    for (Step s : steps) {
      next.add(
          s.status() == OperationStatus.RUNNING
              ? new Step(s.name(), outcome, s.startedAt(), now, reason)
              : s);
    }
    Operation done =
        new Operation(
            id,
            instanceId,
            kind,
            outcome,
            next,
            log,
            actor,
            request,
            reason,
            createdAt,
            startedAt == null ? now : startedAt,
            now,
            deadlineAt);
    return reason == null
        ? done.logged(kind.label() + " " + outcome.label(), now)
        : done.logged(outcome.label() + ": " + reason, now);
  }

  public boolean pastDeadline(Instant now) {
    return deadlineAt != null && now.isAfter(deadlineAt);
  }

  private List<Step> closeRunning(Instant now) {
    List<Step> next = new ArrayList<>();
    for (Step s : steps) {
      next.add(
          s.status() == OperationStatus.RUNNING
              ? new Step(s.name(), OperationStatus.SUCCEEDED, s.startedAt(), now, s.message())
              : s);
    }
    return next;
  }

  private Operation withSteps(List<Step> next) {
    return new Operation(
        id,
        instanceId,
        kind,
        status,
        next,
        log,
        actor,
        request,
        error,
        createdAt,
        startedAt,
        finishedAt,
        deadlineAt);
  }
}
