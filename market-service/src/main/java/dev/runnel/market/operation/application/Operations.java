package dev.runnel.market.operation.application;

import dev.runnel.market.operation.domain.Operation;
import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** Where operations are kept. */
public interface Operations {
  Mono<Void> insert(Operation operation);

  Mono<Operation> find(UUID id);

  Mono<Void> started(UUID id, Instant at);

  Mono<Void> finished(UUID id, boolean succeeded, String result, String error, Instant at);
}
