package dev.runnel.market.catalog.adapter.out.r2dbc;

import dev.runnel.market.catalog.application.CategoryMappings;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class CategoryMappingsR2dbc implements CategoryMappings {
  private final DatabaseClient db;

  CategoryMappingsR2dbc(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Flux<Mapping> all() {
    return db.sql(
            "select m.kind, m.value, m.category_id, c.name from category_mapping m"
                + " join category c on c.id = m.category_id order by m.kind, m.value, c.name")
        .map(
            row ->
                new Mapping(
                    row.get("kind", String.class),
                    row.get("value", String.class),
                    row.get("category_id", UUID.class),
                    row.get("name", String.class)))
        .all();
  }

  @Override
  public Mono<Void> replace(List<Mapping> mappings) {
    Mono<Void> insert = Mono.empty();
    if (!mappings.isEmpty()) {
      insert =
          db.sql(
                  "insert into category_mapping (kind, value, category_id) select * from"
                      + " unnest(:k::text[], :v::text[], :c::uuid[])")
              .bind("k", mappings.stream().map(Mapping::kind).toArray(String[]::new))
              .bind("v", mappings.stream().map(Mapping::value).toArray(String[]::new))
              .bind("c", mappings.stream().map(Mapping::categoryId).toArray(UUID[]::new))
              .then();
    }
    return db.sql("delete from category_mapping").then().then(insert);
  }

  @Override
  public Mono<Void> refileAll() {
    return db.sql("delete from app_category")
        .then()
        .then(
            db.sql(
                    "insert into app_category (app_key, category_id)"
                        + " select distinct a.repository || '/' || a.name, c.id"
                        + " from catalog_app a join category c on"
                        + " lower(c.name) = any (a.raw_categories)"
                        + " or exists (select 1 from category_mapping m where m.category_id = c.id"
                        + " and ((m.kind = 'annotation' and m.value = any (a.raw_categories))"
                        + " or (m.kind = 'keyword' and m.value = any (a.keywords))))")
                .then());
  }

  @Override
  public Mono<UUID> categoryId(String name) {
    return db.sql("select id from category where lower(name) = lower(:n)")
        .bind("n", name)
        .map(row -> row.get("id", UUID.class))
        .one();
  }
}
