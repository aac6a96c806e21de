package dev.runnel.deploy.instance.application;

import dev.runnel.deploy.instance.domain.Operation;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where operations are kept. */
public interface Operations {
  Mono<Operation> find(UUID id);

  /** Fails with a duplicate-key error when the instance already has an unfinished operation. */
  Mono<Void> insert(Operation operation);

  /**
   * Stores the operation's new state. An unfinished state never replaces a finished one: a finished
   * operation stays as it ended, whatever progress write of it arrives late.
   */
  Mono<Void> update(Operation operation);

  /** The instance's unfinished operation, if any. */
  Mono<Operation> active(UUID instanceId);

  /** The instance's operations, newest first. */
  Flux<Operation> forInstance(UUID instanceId, int limit);

  /** Operations not finished, of any instance (after a restart: ones nobody runs any more). */
  Flux<Operation> unfinished();
}
