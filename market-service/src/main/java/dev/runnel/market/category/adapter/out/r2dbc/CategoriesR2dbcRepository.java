package dev.runnel.market.category.adapter.out.r2dbc;

import dev.runnel.market.category.application.Categories;
import dev.runnel.market.category.application.CategoryCursor;
import dev.runnel.market.category.domain.Category;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class CategoriesR2dbcRepository implements Categories {
  private static final String COLUMNS =
      "id, name, description, sort_order, version, created_at, updated_at";
  private final DatabaseClient db;

  CategoriesR2dbcRepository(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Mono<Category> findById(UUID id) {
    return db.sql("select " + COLUMNS + " from category where id = :id")
        .bind("id", id)
        .map(CategoriesR2dbcRepository::toCategory)
        .one();
  }

  @Override
  public Mono<Category> findByName(String name) {
    return db.sql("select " + COLUMNS + " from category where lower(name) = lower(:name)")
        .bind("name", name)
        .map(CategoriesR2dbcRepository::toCategory)
        .one();
  }

  @Override
  public Flux<Category> page(CategoryCursor after, int limit) {
    if (after == null) {
      return db.sql("select " + COLUMNS + " from category order by lower(name), id limit :limit")
          .bind("limit", limit)
          .map(CategoriesR2dbcRepository::toCategory)
          .all();
    }
    return db.sql(
            "select "
                + COLUMNS
                + " from category where (lower(name), id) > (:name, :id)"
                + " order by lower(name), id limit :limit")
        .bind("name", after.lowerName())
        .bind("id", after.id())
        .bind("limit", limit)
        .map(CategoriesR2dbcRepository::toCategory)
        .all();
  }

  @Override
  public Mono<Void> insert(Category c) {
    return db.sql(
            "insert into category ("
                + COLUMNS
                + ") values (:id, :name, :description, :sortOrder,"
                + " :version, :createdAt, :updatedAt)")
        .bind("id", c.id())
        .bind("name", c.name())
        .bind("description", c.description())
        .bind("sortOrder", c.sortOrder())
        .bind("version", c.version())
        .bind("createdAt", c.createdAt().atOffset(ZoneOffset.UTC))
        .bind("updatedAt", c.updatedAt().atOffset(ZoneOffset.UTC))
        .then();
  }

  @Override
  public Mono<Boolean> update(Category c, long expectedVersion) {
    return db.sql(
            "update category set name = :name, description = :description, sort_order ="
                + " :sortOrder, version = :version, updated_at = :updatedAt"
                + " where id = :id and version = :expected")
        .bind("id", c.id())
        .bind("name", c.name())
        .bind("description", c.description())
        .bind("sortOrder", c.sortOrder())
        .bind("version", c.version())
        .bind("updatedAt", c.updatedAt().atOffset(ZoneOffset.UTC))
        .bind("expected", expectedVersion)
        .fetch()
        .rowsUpdated()
        .map(n -> n == 1);
  }

  @Override
  public Mono<Void> delete(UUID id) {
    return db.sql("delete from category where id = :id").bind("id", id).then();
  }

  @Override
  public Mono<Long> countApps(UUID id) {
    return db.sql("select count(*) as n from app_category where category_id = :id")
        .bind("id", id)
        .map(row -> row.get("n", Long.class))
        .one();
  }

  private static Category toCategory(Readable row) {
    return new Category(
        row.get("id", UUID.class),
        row.get("name", String.class),
        row.get("description", String.class),
        row.get("sort_order", Integer.class),
        row.get("version", Long.class),
        row.get("created_at", OffsetDateTime.class).toInstant(),
        row.get("updated_at", OffsetDateTime.class).toInstant());
  }
}
