package dev.runnel.market.category.application;

import dev.runnel.market.category.domain.Category;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where categories are kept. */
public interface Categories {
  Mono<Category> findById(UUID id);

  Mono<Category> findByName(String name);

  /** One page in name order, after the cursor position (exclusive) when given. */
  Flux<Category> page(CategoryCursor after, int limit);

  Mono<Void> insert(Category category);

  /** Stores the new state if the stored version is still {@code expectedVersion}. */
  Mono<Boolean> update(Category category, long expectedVersion);

  Mono<Void> delete(UUID id);

  /** How many apps are filed under the category. */
  Mono<Long> countApps(UUID id);
}
