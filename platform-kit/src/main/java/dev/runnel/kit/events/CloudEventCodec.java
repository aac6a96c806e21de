package dev.runnel.kit.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * CloudEvents 1.0 in Kafka binary mode: attributes as {@code ce_*} headers, JSON data as the value,
 * the aggregate id as the key. Extensions {@code team}, {@code actor}, {@code traceparent}.
 */
public final class CloudEventCodec {
  private CloudEventCodec() {}

  /**
   * An event as the relay would send it, for the rare event sent past the outbox (a denial whose
   * outbox write failed: it changes no state, so there is no transaction to be atomic with).
   */
  public static ProducerRecord<String, byte[]> toRecord(
      OutgoingEvent event, String topic, String source) {
    return toRecord(
        new OutboxRow(
            0L,
            event.id(),
            topic,
            event.type(),
            event.subject(),
            event.team(),
            event.actor(),
            null,
            event.time(),
            event.data()),
        source);
  }

  static ProducerRecord<String, byte[]> toRecord(OutboxRow row, String source) {
    CloudEventBuilder builder =
        CloudEventBuilder.v1()
            .withId(row.id().toString())
            .withType(row.type())
            .withSource(URI.create(source))
            .withSubject(row.subject())
            .withTime(row.occurredAt().atOffset(ZoneOffset.UTC))
            .withDataContentType("application/json")
            .withData(row.data().getBytes(StandardCharsets.UTF_8));
    if (row.team() != null) {
      builder.withExtension("team", row.team());
    }
    if (row.actor() != null) {
      builder.withExtension("actor", row.actor());
    }
    if (row.traceparent() != null) {
      builder.withExtension("traceparent", row.traceparent());
    }
    ProducerRecord<String, byte[]> record =
        KafkaMessageFactory.createWriter(row.topic(), row.subject()).writeBinary(builder.build());
    if (row.traceparent() != null) {
      // Also as the plain W3C header, which tracing instrumentation reads.
      record.headers().add("traceparent", row.traceparent().getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  /** Reads a record as an event; {@link InvalidEventException} when it is not a CloudEvent. */
  public static IncomingEvent fromRecord(ConsumerRecord<String, byte[]> record) {
    CloudEvent event;
    try {
      MessageReader reader = KafkaMessageFactory.createReader(record);
      event = reader.toEvent();
    } catch (RuntimeException e) {
      throw new InvalidEventException(
          "record at "
              + record.topic()
              + "/"
              + record.partition()
              + "@"
              + record.offset()
              + " is not a CloudEvent: "
              + e.getMessage(),
          e);
    }
    OffsetDateTime time = event.getTime();
    return new IncomingEvent(
        event.getId(),
        event.getType(),
        event.getSource().toString(),
        event.getSubject(),
        time == null ? null : time.toInstant(),
        extension(event, "team"),
        extension(event, "actor"),
        extension(event, "traceparent"),
        event.getData() == null ? new byte[0] : event.getData().toBytes(),
        record.topic(),
        record.partition(),
        record.offset());
  }

  private static String extension(CloudEvent event, String name) {
    Object value = event.getExtension(name);
    return value == null ? null : value.toString();
  }
}
