package dev.runnel.market.catalog.application;

import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The admin's mapping from keywords and annotation values onto categories. */
public interface CategoryMappings {
  Flux<Mapping> all();

  /** Replaces every mapping; call inside a transaction together with {@link #refileAll}. */
  Mono<Void> replace(List<Mapping> mappings);

  /** Files every app again under its categories (annotations and the mapping). */
  Mono<Void> refileAll();

  /** Resolves a category by name (any case); empty when there is none. */
  Mono<UUID> categoryId(String name);

  /**
   * @param kind {@code keyword} or {@code annotation}
   * @param value lower case
   */
  record Mapping(String kind, String value, UUID categoryId, String categoryName) {}
}
