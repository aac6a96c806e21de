package dev.runnel.deploy.instance.application;

import dev.runnel.deploy.instance.domain.Operation;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Live updates of the operations this process runs, for the SSE stream. Each operation's sink
 * replays its latest state to late subscribers and completes when the operation finishes.
 */
@Component
public class OperationFeed {
  private final Map<UUID, Sinks.Many<Operation>> sinks = new ConcurrentHashMap<>();

  public void publish(Operation operation) {
    Sinks.Many<Operation> sink =
        sinks.computeIfAbsent(operation.id(), id -> Sinks.many().replay().latest());
    sink.emitNext(operation, Sinks.EmitFailureHandler.busyLooping(java.time.Duration.ofSeconds(1)));
    if (operation.status().finished()) {
      sink.tryEmitComplete();
      sinks.remove(operation.id());
    }
  }

  /** Updates after now; empty when this process does not run the operation. */
  public Flux<Operation> updates(UUID operationId) {
    Sinks.Many<Operation> sink = sinks.get(operationId);
    return sink == null ? Flux.empty() : sink.asFlux();
  }
}
