package dev.runnel.market.packages.adapter.out.r2dbc;

import dev.runnel.market.packages.application.PackageStore;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
class PackageStoreR2dbc implements PackageStore {
  private final DatabaseClient db;

  PackageStoreR2dbc(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Mono<Source> source(String repository, String name, String version) {
    return db.sql(
            "select urls, digest from catalog_version"
                + " where repository = :r and app_name = :n and version = :v")
        .bind("r", repository)
        .bind("n", name)
        .bind("v", version)
        .map(
            row ->
                new Source(
                    Arrays.asList(
                        Optional.ofNullable(row.get("urls", String[].class)).orElse(new String[0])),
                    row.get("digest", String.class)))
        .one();
  }

  @Override
  public Mono<byte[]> cached(String repository, String name, String version, String digest) {
    return db.sql(
            "update package_cache set last_used = now() where repository = :r and name = :n"
                + " and version = :v returning digest, bytes")
        .bind("r", repository)
        .bind("n", name)
        .bind("v", version)
        .map(
            row -> {
              String stored = row.get("digest", String.class);
              ByteBuffer buffer = row.get("bytes", ByteBuffer.class);
              byte[] bytes = new byte[buffer.remaining()];
              buffer.get(bytes);
              return new Object[] {stored, bytes};
            })
        .one()
        // A re-published version with a new digest must not be served from the old cache entry.
        .filter(found -> digest == null || digest.equals(found[0]))
        .map(found -> (byte[]) found[1]);
  }

  @Override
  public Mono<Void> cache(
      String repository, String name, String version, String digest, byte[] bytes, long maxBytes) {
    if (bytes.length > maxBytes) {
      return Mono.empty();
    }
    return db.sql(
            "insert into package_cache (repository, name, version, digest, size, bytes, last_used)"
                + " values (:r, :n, :v, :d, :s, :b, :t) on conflict (repository, name, version)"
                + " do update set digest = excluded.digest, size = excluded.size,"
                + " bytes = excluded.bytes, last_used = excluded.last_used")
        .bind("r", repository)
        .bind("n", name)
        .bind("v", version)
        .bind("d", digest)
        .bind("s", bytes.length)
        .bind("b", ByteBuffer.wrap(bytes))
        .bind("t", OffsetDateTime.now(ZoneOffset.UTC))
        .then()
        .then(
            db.sql(
                    "delete from package_cache p using (select repository, name, version,"
                        + " sum(size) over (order by last_used desc, repository, name, version)"
                        + " as running from package_cache) r where p.repository = r.repository"
                        + " and p.name = r.name and p.version = r.version and r.running > :max")
                .bind("max", maxBytes)
                .then());
  }
}
