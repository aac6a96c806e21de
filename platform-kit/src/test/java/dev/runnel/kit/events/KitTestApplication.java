package dev.runnel.kit.events;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** A service that does nothing but publish and consume, to test the kit's event plumbing. */
@SpringBootApplication
class KitTestApplication {

  /** Attempts per event id, including the ones that failed and were rolled back. */
  static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

  @Bean
  EventHandler recordingHandler(DatabaseClient db) {
    return new EventHandler() {
      @Override
      public String name() {
        return "recorder";
      }

      @Override
      public Pattern topics() {
        return Pattern.compile("runnel\\.kittest");
      }

      @Override
      public Mono<Void> handle(IncomingEvent event) {
        ATTEMPTS.computeIfAbsent(event.id(), k -> new AtomicInteger()).incrementAndGet();
        Mono<Void> insert =
            db.sql(
                    "insert into handled (event_id, subject, type, data) values (:id, :subject,"
                        + " :type, :data)")
                .bind("id", event.id())
                .bind("subject", event.subject())
                .bind("type", event.type())
                .bind("data", event.dataAsString())
                .then();
        // The poison fails after its row is written: the rollback must take the row with it.
        return event.dataAsString().contains("poison")
            ? insert.then(Mono.error(new IllegalStateException("poisoned event " + event.id())))
            : insert;
      }
    };
  }

  /** Handler calls per event id of the bulk handler, counting the calls that failed. */
  static final Map<String, AtomicInteger> BULK_CALLS = new ConcurrentHashMap<>();

  /**
   * Writes a whole poll with one statement, as a projection would; fails the poll when it holds an
   * event whose data says {@code bulkFail}, after writing, so the rollback must take the rows.
   */
  @Bean
  EventHandler bulkHandler(DatabaseClient db) {
    return new EventHandler() {
      @Override
      public String name() {
        return "bulk-recorder";
      }

      @Override
      public Pattern topics() {
        return Pattern.compile("runnel\\.kittest");
      }

      @Override
      public Mono<Void> handle(IncomingEvent event) {
        return handleAll(List.of(event));
      }

      @Override
      public Mono<Void> handleAll(List<IncomingEvent> events) {
        events.forEach(
            e -> BULK_CALLS.computeIfAbsent(e.id(), k -> new AtomicInteger()).incrementAndGet());
        Mono<Void> insert =
            db.sql("insert into handled_in_bulk (event_id) select unnest(:ids)")
                .bind("ids", events.stream().map(IncomingEvent::id).toArray(String[]::new))
                .then();
        return events.stream().anyMatch(e -> e.dataAsString().contains("bulkFail"))
            ? insert.then(Mono.error(new IllegalStateException("a poll with a failing event")))
            : insert;
      }
    };
  }
}
