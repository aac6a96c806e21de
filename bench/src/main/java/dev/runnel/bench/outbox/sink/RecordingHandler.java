package dev.runnel.bench.outbox.sink;

import dev.runnel.kit.events.EventHandler;
import dev.runnel.kit.events.IncomingEvent;
import dev.runnel.kit.events.InvalidEventException;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one row per handled event, in the kit's inbox transaction. {@code clock_timestamp()} is
 * the moment of handling (not the transaction start), and the table has no unique key, so an event
 * that got past the inbox twice would show as two rows.
 */
@Component
class RecordingHandler implements EventHandler {
  private static final Pattern TOPIC = Pattern.compile("runnel\\.bench");

  private final DatabaseClient db;
  private final JsonMapper json;

  RecordingHandler(DatabaseClient db, JsonMapper json) {
    this.db = db;
    this.json = json;
  }

  @Override
  public String name() {
    return "bench-sink";
  }

  @Override
  public Pattern topics() {
    return TOPIC;
  }

  @Override
  public Mono<Void> handle(IncomingEvent event) {
    JsonNode n = json.readTree(event.data()).get("n");
    if (n == null || event.time() == null || event.subject() == null) {
      return Mono.error(new InvalidEventException("not a benchmark event: " + event.id(), null));
    }
    return db.sql(
            "insert into bench_event (event_id, subject, n, occurred_at, handled_at)"
                + " values (:id, :subject, :n, :occurred, clock_timestamp())")
        .bind("id", event.id())
        .bind("subject", event.subject())
        .bind("n", n.asLong())
        .bind("occurred", event.time().atOffset(ZoneOffset.UTC))
        .then();
  }
}
