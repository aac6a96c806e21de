package dev.runnel.market.catalog.adapter.out.r2dbc;

import dev.runnel.market.catalog.application.IconCache;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Icons in the database, at most {@link #MAX_ICONS} (the oldest fetched go first). */
@Repository
class IconCacheR2dbc implements IconCache {
  static final int MAX_ICONS = 5000;
  private final DatabaseClient db;

  IconCacheR2dbc(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Mono<Icon> find(String url) {
    return db.sql("select content_type, bytes from icon_cache where url = :u")
        .bind("u", url)
        .map(
            row -> {
              ByteBuffer buffer = row.get("bytes", ByteBuffer.class);
              byte[] bytes = new byte[buffer.remaining()];
              buffer.get(bytes);
              return new Icon(row.get("content_type", String.class), bytes);
            })
        .one();
  }

  @Override
  public Mono<Void> store(String url, Icon icon) {
    return db.sql(
            "insert into icon_cache (url, content_type, bytes, fetched_at) values (:u, :t, :b, :f)"
                + " on conflict (url) do update set content_type = excluded.content_type,"
                + " bytes = excluded.bytes, fetched_at = excluded.fetched_at")
        .bind("u", url)
        .bind("t", icon.contentType())
        .bind("b", ByteBuffer.wrap(icon.bytes()))
        .bind("f", OffsetDateTime.now(ZoneOffset.UTC))
        .then()
        .then(
            db.sql(
                    "delete from icon_cache where url in (select url from icon_cache"
                        + " order by fetched_at desc offset :max)")
                .bind("max", MAX_ICONS)
                .then());
  }
}
