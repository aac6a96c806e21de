package dev.runnel.market.chart.adapter.out.r2dbc;

import dev.runnel.market.chart.application.ChartDetailsCache;
import dev.runnel.market.chart.domain.ChartDetails;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

@Repository
class ChartDetailsCacheR2dbcRepository implements ChartDetailsCache {
  private final DatabaseClient db;
  private final JsonMapper json;

  ChartDetailsCacheR2dbcRepository(DatabaseClient db, JsonMapper json) {
    this.db = db;
    this.json = json;
  }

  @Override
  public Mono<ChartDetails> find(String repository, String name, String version, String digest) {
    return db.sql(
            "select details from chart_details where repository = :repository and name = :name"
                + " and version = :version and digest = :digest")
        .bind("repository", repository)
        .bind("name", name)
        .bind("version", version)
        .bind("digest", digest)
        .map(row -> json.readValue(row.get("details", String.class), ChartDetails.class))
        .one();
  }

  @Override
  public Mono<Void> save(String repository, ChartDetails d) {
    return db.sql(
            "insert into chart_details (repository, name, version, digest, details)"
                + " values (:repository, :name, :version, :digest, :details)"
                + " on conflict (repository, name, version, digest) do nothing")
        .bind("repository", repository)
        .bind("name", d.name())
        .bind("version", d.version())
        .bind("digest", d.digest())
        .bind("details", json.writeValueAsString(d))
        .then();
  }
}
