package dev.runnel.kit.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An event a service records in its outbox, in the transaction of the change it describes.
 *
 * @param id unique id ({@code ce-id}); consumers skip ids they have processed
 * @param type stable logical name with a major version: {@code
 *     runnel.<service>.<aggregate>.<event>.v<major>}
 * @param subject the aggregate id; also the Kafka key, so one aggregate's events stay in order
 * @param team the owning team, or null for platform-wide objects
 * @param actor who caused it (user name or {@code system})
 * @param time when it happened
 * @param data the event's JSON payload, already serialised
 */
public record OutgoingEvent(
    UUID id, String type, String subject, String team, String actor, Instant time, String data) {
  static final Pattern TYPE =
      Pattern.compile(
          "runnel\\.[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*\\.v[1-9][0-9]*");

  public OutgoingEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(data, "data");
    if (type == null || !TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException(
          "event type must look like runnel.<service>.<aggregate>.<event>.v<major>: " + type);
    }
  }

  public static OutgoingEvent of(
      String type, String subject, String team, String actor, String data) {
    return new OutgoingEvent(UUID.randomUUID(), type, subject, team, actor, Instant.now(), data);
  }
}
