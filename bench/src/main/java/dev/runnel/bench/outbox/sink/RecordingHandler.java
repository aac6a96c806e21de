package dev.runnel.bench.outbox.sink;

import dev.runnel.kit.events.EventHandler;
import dev.runnel.kit.events.IncomingEvent;
import dev.runnel.kit.events.InvalidEventException;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
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

  private final boolean perEvent;

  RecordingHandler(
      DatabaseClient db,
      JsonMapper json,
      @Value("${runnel.bench.per-event-handler:false}") boolean perEvent) {
    this.db = db;
    this.json = json;
    this.perEvent = perEvent;
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
    return perEvent ? handleOne(event) : handleAll(List.of(event));
  }

  /**
   * The whole poll in one statement, as a handler that stores what it reads (the audit trail, a
   * projection) would write it; {@code --per-event-handler} measures one statement per event.
   */
  @Override
  public Mono<Void> handleAll(List<IncomingEvent> events) {
    if (perEvent) {
      return EventHandler.super.handleAll(events);
    }
    String[] ids = new String[events.size()];
    String[] subjects = new String[events.size()];
    Long[] ns = new Long[events.size()];
    String[] occurred = new String[events.size()];
    for (int i = 0; i < events.size(); i++) {
      IncomingEvent event = events.get(i);
      JsonNode n = json.readTree(event.data()).get("n");
      if (n == null || event.time() == null || event.subject() == null) {
        return Mono.error(new InvalidEventException("not a benchmark event: " + event.id(), null));
      }
      ids[i] = event.id();
      subjects[i] = event.subject();
      ns[i] = n.asLong();
      occurred[i] = event.time().toString();
    }
    return db.sql(
            "insert into bench_event (event_id, subject, n, occurred_at, handled_at)"
                + " select e.id, e.subject, e.n, e.occurred::timestamptz, clock_timestamp()"
                + " from unnest(:ids, :subjects, :ns, :occurred) as e(id, subject, n, occurred)")
        .bind("ids", ids)
        .bind("subjects", subjects)
        .bind("ns", ns)
        .bind("occurred", occurred)
        .then();
  }

  private Mono<Void> handleOne(IncomingEvent event) {
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
