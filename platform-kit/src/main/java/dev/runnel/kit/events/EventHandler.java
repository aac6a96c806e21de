package dev.runnel.kit.events;

import java.util.List;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
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

  /**
   * Handles the new events of one poll, in their order, in one inbox transaction. The default hands
   * them to {@link #handle} one after the other; a handler that can write a poll in one statement
   * overrides this (one round trip instead of one per event). When this fails for several events,
   * the kit calls it again with one event at a time to find the one that fails and retries only it.
   */
  default Mono<Void> handleAll(List<IncomingEvent> events) {
    return Flux.fromIterable(events).concatMap(this::handle).then();
  }
}
