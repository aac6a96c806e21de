package dev.runnel.audit.trail.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One platform event as the audit trail keeps it: the CloudEvent's attributes, where it was read
 * from, when it arrived, and its data exactly as received.
 *
 * <p>Values are normalised to what the trail can store and read back unchanged, because the hash
 * chain covers them: instants to microseconds (PostgreSQL's precision), and the NUL character,
 * which PostgreSQL text cannot hold, to U+FFFD.
 *
 * @param eventId the CloudEvent id
 * @param type the CloudEvent type, such as {@code runnel.market.category.created.v1}
 * @param source the CloudEvent source, such as {@code /runnel/market}
 * @param subject the aggregate the event is about, or null
 * @param team the owning team (extension {@code team}), or null for platform-wide events
 * @param actor who caused it (extension {@code actor}), or null
 * @param occurredAt when it happened, as the producer says
 * @param receivedAt when the audit service stored it
 * @param traceId the W3C trace id of the {@code traceparent} extension, or null
 * @param topic the Kafka topic it was read from
 * @param partition the partition of that topic
 * @param offset the offset in that partition
 * @param data the event's data as UTF-8 text; empty when it had none
 */
public record AuditRecord(
    String eventId,
    String type,
    String source,
    String subject,
    String team,
    String actor,
    Instant occurredAt,
    Instant receivedAt,
    String traceId,
    String topic,
    int partition,
    long offset,
    String data) {

  public AuditRecord {
    eventId = storable(Objects.requireNonNull(eventId, "eventId"));
    type = storable(Objects.requireNonNull(type, "type"));
    source = storable(Objects.requireNonNull(source, "source"));
    subject = storable(subject);
    team = storable(team);
    actor = storable(actor);
    occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MICROS);
    receivedAt = Objects.requireNonNull(receivedAt, "receivedAt").truncatedTo(ChronoUnit.MICROS);
    traceId = storable(traceId);
    topic = storable(Objects.requireNonNull(topic, "topic"));
    data = storable(Objects.requireNonNull(data, "data"));
  }

  /**
   * A record for an event just received. An event without a time is filed under the time it
   * arrived, so that time-range searches still find it.
   */
  public static AuditRecord received(
      String eventId,
      String type,
      String source,
      String subject,
      String team,
      String actor,
      Instant time,
      String traceparent,
      String topic,
      int partition,
      long offset,
      String data,
      Instant now) {
    return new AuditRecord(
        eventId,
        type,
        source,
        subject,
        team,
        actor,
        time != null ? time : now,
        now,
        TraceParent.traceId(traceparent),
        topic,
        partition,
        offset,
        data);
  }

  private static String storable(String value) {
    return value == null ? null : value.replace('\u0000', '\uFFFD');
  }
}
