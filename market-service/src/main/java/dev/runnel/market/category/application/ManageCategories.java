package dev.runnel.market.category.application;

import dev.runnel.kit.problem.Problem;
import dev.runnel.market.category.domain.Category;
import dev.runnel.market.category.domain.InvalidCategoryException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Creates, changes, deletes and lists categories. Every change and its event are stored in one
 * transaction. Authorisation happens at the edge (platform admins only change categories).
 */
@Service
public class ManageCategories {
  public static final int MAX_PAGE = 200;
  private static final Logger log = LoggerFactory.getLogger(ManageCategories.class);

  private final Categories categories;
  private final CategoryEvents events;
  private final TransactionalOperator tx;
  private final Clock clock;

  public ManageCategories(
      Categories categories, CategoryEvents events, TransactionalOperator tx, Clock clock) {
    this.categories = categories;
    this.events = events;
    this.tx = tx;
    this.clock = clock;
  }

  public Mono<Category> get(UUID id) {
    return categories
        .findById(id)
        .switchIfEmpty(Mono.error(() -> Problem.notFound("Category", id)));
  }

  public Mono<CategoryPage> list(String cursor, int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      return Mono.error(Problem.invalid("limit", "must be between 1 and " + MAX_PAGE));
    }
    CategoryCursor after = null;
    if (cursor != null && !cursor.isEmpty()) {
      after = CategoryCursor.decode(cursor);
      if (after == null) {
        return Mono.error(Problem.invalid("cursor", "is not a cursor this API returned"));
      }
    }
    return categories
        .page(after, limit + 1)
        .collectList()
        .map(
            rows -> {
              if (rows.size() <= limit) {
                return new CategoryPage(rows, null);
              }
              Category last = rows.get(limit - 1);
              return new CategoryPage(
                  rows.subList(0, limit),
                  new CategoryCursor(last.name().toLowerCase(java.util.Locale.ROOT), last.id())
                      .encode());
            });
  }

  public Mono<Category> create(CategoryCommands.Create command) {
    return Mono.defer(
            () -> {
              Category.Change change =
                  Category.create(
                      UUID.randomUUID(),
                      command.name(),
                      command.description(),
                      command.sortOrder(),
                      clock.instant());
              return refuseDuplicateName(change.category(), null)
                  .then(categories.insert(change.category()))
                  .then(events.record(change.event(), command.actor()))
                  .thenReturn(change.category());
            })
        .as(tx::transactional)
        .doOnNext(
            c -> log.info("category '{}' ({}) created by {}", c.name(), c.id(), command.actor()))
        .onErrorMap(InvalidCategoryException.class, e -> Problem.invalid(e.field(), e.getMessage()))
        .onErrorMap(DuplicateKeyException.class, e -> duplicateName(command.name()));
  }

  public Mono<Category> update(CategoryCommands.Update command) {
    return get(command.id())
        .flatMap(
            current -> {
              Category.Change change =
                  current.update(
                      command.name(), command.description(), command.sortOrder(), clock.instant());
              if (change.event() == null) {
                return Mono.just(current);
              }
              return refuseDuplicateName(change.category(), current.id())
                  .then(categories.update(change.category(), current.version()))
                  .flatMap(
                      stored ->
                          stored
                              ? events.record(change.event(), command.actor())
                              : Mono.error(
                                  Problem.conflict(
                                      "Category '"
                                          + current.name()
                                          + "' was changed by someone else; reload and retry")))
                  .thenReturn(change.category());
            })
        .as(tx::transactional)
        .onErrorMap(InvalidCategoryException.class, e -> Problem.invalid(e.field(), e.getMessage()))
        .onErrorMap(DuplicateKeyException.class, e -> duplicateName(command.name()));
  }

  public Mono<Void> delete(CategoryCommands.Delete command) {
    return get(command.id())
        .flatMap(
            current ->
                categories
                    .countApps(current.id())
                    .flatMap(
                        apps ->
                            apps > 0
                                ? Mono.error(
                                    Problem.conflict(
                                        "Category '"
                                            + current.name()
                                            + "' is used by "
                                            + apps
                                            + (apps == 1 ? " app" : " apps")
                                            + "; file them under another category first"))
                                : categories
                                    .delete(current.id())
                                    .then(
                                        events.record(
                                            current.delete(clock.instant()), command.actor()))))
        .as(tx::transactional);
  }

  private Mono<Void> refuseDuplicateName(Category category, UUID self) {
    return categories
        .findByName(category.name())
        .filter(existing -> !existing.id().equals(self))
        .flatMap(existing -> Mono.<Void>error(duplicateName(category.name())));
  }

  private static Problem duplicateName(String name) {
    return Problem.conflict(
        "A category named '" + (name == null ? "" : name.strip()) + "' already exists");
  }
}
