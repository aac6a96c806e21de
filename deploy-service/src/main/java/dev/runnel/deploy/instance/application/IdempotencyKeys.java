package dev.runnel.deploy.instance.application;

import java.util.UUID;
import reactor.core.publisher.Mono;

/** Remembers which operation an {@code Idempotency-Key} of a caller started. */
public interface IdempotencyKeys {
  Mono<UUID> find(String actor, String key);

  Mono<Void> remember(String actor, String key, UUID operationId);
}
