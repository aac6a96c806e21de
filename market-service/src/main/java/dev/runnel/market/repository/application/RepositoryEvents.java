package dev.runnel.market.repository.application;

import dev.runnel.market.repository.domain.RepositoryEvent;
import reactor.core.publisher.Mono;

/**
 * Records repository and catalog events for publication; called inside the change's transaction.
 */
public interface RepositoryEvents {
  Mono<Void> record(RepositoryEvent event, String actor);
}
