package dev.runnel.kit.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * An event as a consumer receives it: the CloudEvent attributes and extensions, the JSON data, and
 * where it was read from. Each consumer parses the data into the shape it needs itself.
 */
public record IncomingEvent(
    String id,
    String type,
    String source,
    String subject,
    Instant time,
    String team,
    String actor,
    String traceparent,
    byte[] data,
    String topic,
    int partition,
    long offset) {

  public String dataAsString() {
    return new String(data, StandardCharsets.UTF_8);
  }
}
