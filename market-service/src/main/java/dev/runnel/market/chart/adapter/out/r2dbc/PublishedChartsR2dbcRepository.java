package dev.runnel.market.chart.adapter.out.r2dbc;

import dev.runnel.market.chart.application.PublishedCharts;
import dev.runnel.market.chart.domain.ChartMetadata;
import dev.runnel.market.chart.domain.PublishedChart;
import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

@Repository
class PublishedChartsR2dbcRepository implements PublishedCharts {
  private static final String COLUMNS =
      "name, version, team, digest, size, metadata, published_by, published_at";
  private final DatabaseClient db;
  private final JsonMapper json;

  PublishedChartsR2dbcRepository(DatabaseClient db, JsonMapper json) {
    this.db = db;
    this.json = json;
  }

  @Override
  public Mono<PublishedChart> find(String name, String version) {
    return db.sql(
            "select " + COLUMNS + " from published_chart where name = :name and version = :version")
        .bind("name", name)
        .bind("version", version)
        .map(this::toChart)
        .one();
  }

  @Override
  public Flux<PublishedChart> all() {
    return db.sql(
            "select " + COLUMNS + " from published_chart order by name, published_at, version")
        .map(this::toChart)
        .all();
  }

  @Override
  public Mono<byte[]> packageOf(String name, String version) {
    return db.sql("select package from published_chart where name = :name and version = :version")
        .bind("name", name)
        .bind("version", version)
        .map(row -> bytes(row.get("package", ByteBuffer.class)))
        .one();
  }

  @Override
  public Mono<Void> insert(PublishedChart c, byte[] pkg) {
    var spec =
        db.sql(
                "insert into published_chart ("
                    + COLUMNS
                    + ", package) values (:name, :version, :team, :digest, :size, :metadata,"
                    + " :publishedBy, :publishedAt, :package)")
            .bind("name", c.name())
            .bind("version", c.version())
            .bind("digest", c.digest())
            .bind("size", c.size())
            .bind("metadata", json.writeValueAsString(c.metadata()))
            .bind("publishedBy", c.publishedBy())
            .bind("publishedAt", c.publishedAt().atOffset(ZoneOffset.UTC))
            .bind("package", ByteBuffer.wrap(pkg));
    spec = c.team() == null ? spec.bindNull("team", String.class) : spec.bind("team", c.team());
    return spec.then();
  }

  @Override
  public Mono<Void> delete(String name, String version) {
    return db.sql("delete from published_chart where name = :name and version = :version")
        .bind("name", name)
        .bind("version", version)
        .then();
  }

  private PublishedChart toChart(Readable row) {
    return new PublishedChart(
        json.readValue(row.get("metadata", String.class), ChartMetadata.class),
        row.get("digest", String.class),
        row.get("size", Long.class),
        row.get("team", String.class),
        row.get("published_by", String.class),
        row.get("published_at", OffsetDateTime.class).toInstant());
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return out;
  }
}
