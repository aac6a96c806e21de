package dev.runnel.market.helmrepo.adapter.out.r2dbc;

import dev.runnel.market.helmrepo.application.ChartsListing;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class ChartsListingR2dbc implements ChartsListing {
  private static final String PRECEDENCE = "(r.name = 'local') desc, r.created_at, r.name";
  private final DatabaseClient db;

  ChartsListingR2dbc(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Mono<String> generation() {
    return db.sql(
            "select coalesce(string_agg(name || '=' || coalesce(index_sha256, '-') || '@'"
                + " || created_at::text, ',' order by name), '') as g from chart_repository")
        .map(row -> row.get("g", String.class))
        .one();
  }

  @Override
  public Flux<Listed> all() {
    return db.sql(
            "select v.repository, v.app_name, v.version, v.entry from catalog_version v"
                + " join chart_repository r on r.name = v.repository order by v.app_name, "
                + PRECEDENCE
                + ", v.version")
        .map(
            row ->
                new Listed(
                    row.get("repository", String.class),
                    row.get("app_name", String.class),
                    row.get("version", String.class),
                    row.get("entry", String.class)))
        .all();
  }

  @Override
  public Mono<List<String>> appNames() {
    return db.sql("select distinct name from catalog_app")
        .map(row -> row.get("name", String.class))
        .all()
        .collectList();
  }

  @Override
  public Mono<String> ownerOf(String app) {
    return db.sql(
            "select a.repository from catalog_app a join chart_repository r on r.name ="
                + " a.repository where a.name = :n order by "
                + PRECEDENCE
                + " limit 1")
        .bind("n", app)
        .map(row -> row.get("repository", String.class))
        .one();
  }

  @Override
  public Mono<Boolean> exists(String repository, String app, String version) {
    return db.sql(
            "select count(*) as n from catalog_version where repository = :r and app_name = :a"
                + " and version = :v")
        .bind("r", repository)
        .bind("a", app)
        .bind("v", version)
        .map(row -> row.get("n", Long.class) > 0)
        .one();
  }

  @Override
  public Flux<String> repositoryNames() {
    return db.sql("select name from chart_repository order by name")
        .map(row -> row.get("name", String.class))
        .all();
  }
}
