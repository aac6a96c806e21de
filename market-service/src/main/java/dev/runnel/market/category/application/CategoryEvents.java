package dev.runnel.market.category.application;

import dev.runnel.market.category.domain.CategoryEvent;
import reactor.core.publisher.Mono;

/** Records category events for publication; called inside the change's transaction. */
public interface CategoryEvents {
  Mono<Void> record(CategoryEvent event, String actor);
}
