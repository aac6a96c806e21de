package dev.runnel.kit.events;

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
}
