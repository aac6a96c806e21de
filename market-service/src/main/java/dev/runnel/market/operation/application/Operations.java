package dev.runnel.market.operation.application;

import dev.runnel.market.operation.domain.Operation;
import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** Where operations are kept. */
public interface Operations {
  Mono<Void> insert(Operation operation);

  Mono<Operation> find(UUID id);

  /** The operation of this kind on this target that a request with this key started. */
  Mono<Operation> findByKey(String kind, String target, String idempotencyKey);

  Mono<Void> started(UUID id, Instant at);

  Mono<Void> finished(UUID id, boolean succeeded, String result, String error, Instant at);
}
