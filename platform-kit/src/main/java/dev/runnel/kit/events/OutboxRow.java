package dev.runnel.kit.events;

import java.time.Instant;
import java.util.UUID;

/** One row of the outbox as the relay reads it. */
record OutboxRow(
    long seq,
    UUID id,
    String topic,
    String type,
    String subject,
    String team,
    String actor,
    String traceparent,
    Instant occurredAt,
    String data) {}
