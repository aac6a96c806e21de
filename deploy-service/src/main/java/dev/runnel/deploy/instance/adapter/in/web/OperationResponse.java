package dev.runnel.deploy.instance.adapter.in.web;

import dev.runnel.deploy.instance.domain.Operation;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An operation as the API shows it. */
record OperationResponse(
    UUID id,
    UUID instanceId,
    String kind,
    String status,
    List<Step> steps,
    List<Operation.LogLine> log,
    String actor,
    String error,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Instant deadlineAt) {

  record Step(String name, String status, Instant startedAt, Instant finishedAt, String message) {}

  static OperationResponse of(Operation op) {
    return new OperationResponse(
        op.id(),
        op.instanceId(),
        op.kind().label(),
        op.status().label(),
        op.steps().stream()
            .map(
                s ->
                    new Step(
                        s.name(), s.status().label(), s.startedAt(), s.finishedAt(), s.message()))
            .toList(),
        op.log(),
        op.actor(),
        op.error(),
        op.createdAt(),
        op.startedAt(),
        op.finishedAt(),
        op.deadlineAt());
  }
}
