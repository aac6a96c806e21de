package dev.runnel.market.catalog.application;

import dev.runnel.kit.problem.Problem;
import dev.runnel.market.catalog.application.CategoryMappings.Mapping;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Maps chart keywords and {@code category} annotation values onto the market's categories, so that
 * charts from repositories that use their own words land in the right category.
 */
@Service
public class MapCategories {
  public static final int MAX_MAPPINGS = 1000;
  private static final Logger log = LoggerFactory.getLogger(MapCategories.class);
  private final CategoryMappings mappings;
  private final TransactionalOperator tx;

  public MapCategories(CategoryMappings mappings, TransactionalOperator tx) {
    this.mappings = mappings;
    this.tx = tx;
  }

  /** One mapping as the admin gives it: the category by name. */
  public record Requested(String kind, String value, String category) {}

  public Flux<Mapping> list() {
    return mappings.all();
  }

  public Mono<List<Mapping>> replace(List<Requested> requested, String actor) {
    if (requested.size() > MAX_MAPPINGS) {
      return Mono.error(Problem.invalid("mappings", "must hold at most " + MAX_MAPPINGS));
    }
    List<Mono<Mapping>> resolved = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < requested.size(); i++) {
      Requested r = requested.get(i);
      String field = "mappings[" + i + "]";
      if (r == null) {
        return Mono.error(Problem.invalid(field, "must not be null"));
      }
      if (!"keyword".equals(r.kind()) && !"annotation".equals(r.kind())) {
        return Mono.error(Problem.invalid(field + ".kind", "must be keyword or annotation"));
      }
      if (r.value() == null || r.value().isBlank() || r.value().length() > 128) {
        return Mono.error(Problem.invalid(field + ".value", "must be 1 to 128 characters"));
      }
      if (r.category() == null || r.category().isBlank()) {
        return Mono.error(Problem.invalid(field + ".category", "must name a category"));
      }
      String value = r.value().strip().toLowerCase(Locale.ROOT);
      if (!seen.add(
          r.kind() + "\u0000" + value + "\u0000" + r.category().toLowerCase(Locale.ROOT))) {
        continue;
      }
      resolved.add(
          mappings
              .categoryId(r.category().strip())
              .switchIfEmpty(
                  Mono.error(
                      () ->
                          Problem.invalid(
                              field + ".category",
                              "names no category; create '" + r.category().strip() + "' first")))
              .map(id -> new Mapping(r.kind(), value, id, r.category().strip())));
    }
    return Flux.concat(resolved)
        .collectList()
        .flatMap(
            list ->
                mappings
                    .replace(list)
                    .then(mappings.refileAll())
                    .as(tx::transactional)
                    .then(mappings.all().collectList()))
        .doOnNext(l -> log.info("category mappings replaced by {}: {} mappings", actor, l.size()));
  }
}
