package dev.runnel.kit.events;

import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * A consumer of events. Declare one as a bean and the kit subscribes it: consumer group {@code
 * <service>.<name>}, the handler runs inside a database transaction together with the inbox row
 * that marks the event processed, so a redelivered event is skipped and a failed one is retried.
 * After the configured attempts the record goes to {@code <topic>.dlt}.
 */
public interface EventHandler {
  /** A stable name for this consumer: its group id and its key in the inbox. */
  String name();

  /** The topics to read, as a pattern (for example {@code runnel\.[a-z]+}). */
  Pattern topics();

  /** Handles one event; runs in the inbox transaction. */
  Mono<Void> handle(IncomingEvent event);
}
