package dev.runnel.market.operation.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * Long work the caller polls (a sync): {@code queued}, {@code running}, then {@code succeeded} or
 * {@code failed} with the error in words.
 */
public record Operation(
    UUID id,
    String kind,
    String target,
    String status,
    String actor,
    String result,
    String error,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    String idempotencyKey) {
  public static Operation queued(
      UUID id, String kind, String target, String actor, String idempotencyKey, Instant now) {
    return new Operation(
        id, kind, target, "queued", actor, null, null, now, null, null, idempotencyKey);
  }

  public boolean finished() {
    return "succeeded".equals(status) || "failed".equals(status);
  }
}
