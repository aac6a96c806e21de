package dev.runnel.deploy.instance.adapter.in.web;

import dev.runnel.deploy.instance.application.OperationQueue;
import dev.runnel.deploy.instance.domain.Operation;
import dev.runnel.deploy.instance.domain.OperationStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An operation as the API shows it.
 *
 * @param queuePosition while {@code queued}: its place in its cluster's line (1 runs next); null
 *     otherwise, and when the line is not in this process (read from the database only)
 * @param deadlineAt when a running operation may be cancelled; null while queued
 */
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
    Instant deadlineAt,
    Integer queuePosition) {

  record Step(String name, String status, Instant startedAt, Instant finishedAt, String message) {}

  static OperationResponse of(Operation op, OperationQueue queue) {
    int position = op.status() == OperationStatus.QUEUED ? queue.position(op.id()) : 0;
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
        op.deadlineAt(),
        position > 0 ? position : null);
  }
}
