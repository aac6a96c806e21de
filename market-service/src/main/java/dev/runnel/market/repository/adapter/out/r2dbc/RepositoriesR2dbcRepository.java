package dev.runnel.market.repository.adapter.out.r2dbc;

import dev.runnel.market.repository.application.Repositories;
import dev.runnel.market.repository.domain.ChartRepository;
import dev.runnel.market.repository.domain.IndexValidators;
import dev.runnel.market.repository.domain.RepositoryAuth;
import dev.runnel.market.repository.domain.SyncStatus;
import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class RepositoriesR2dbcRepository implements Repositories {
  private final DatabaseClient db;

  RepositoriesR2dbcRepository(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Flux<ChartRepository> all() {
    return db.sql("select * from chart_repository order by builtin desc, name")
        .map(RepositoriesR2dbcRepository::toRepository)
        .all();
  }

  @Override
  public Mono<ChartRepository> find(String name) {
    return db.sql("select * from chart_repository where name = :name")
        .bind("name", name)
        .map(RepositoriesR2dbcRepository::toRepository)
        .one();
  }

  @Override
  public Mono<Void> insert(ChartRepository r) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "insert into chart_repository (name, url, builtin, auth_kind, username, secret,"
                    + " ca_pem, sync_interval_seconds, version, created_at, updated_at) values"
                    + " (:name, :url, false, :kind, :username, :secret, :ca, :interval, :version,"
                    + " :createdAt, :updatedAt)")
            .bind("name", r.name())
            .bind("url", r.url())
            .bind("interval", (int) r.syncInterval().toSeconds())
            .bind("version", r.version())
            .bind("createdAt", r.createdAt().atOffset(ZoneOffset.UTC))
            .bind("updatedAt", r.updatedAt().atOffset(ZoneOffset.UTC));
    return bindSettings(spec, r).then();
  }

  @Override
  public Mono<Boolean> update(ChartRepository r, long expectedVersion) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "update chart_repository set url = :url, auth_kind = :kind, username = :username,"
                    + " secret = :secret, ca_pem = :ca, sync_interval_seconds = :interval,"
                    + " version = :version, updated_at = :updatedAt"
                    + " where name = :name and version = :expected and not builtin")
            .bind("name", r.name())
            .bind("url", r.url())
            .bind("interval", (int) r.syncInterval().toSeconds())
            .bind("version", r.version())
            .bind("updatedAt", r.updatedAt().atOffset(ZoneOffset.UTC))
            .bind("expected", expectedVersion);
    return bindSettings(spec, r).fetch().rowsUpdated().map(n -> n == 1);
  }

  private static DatabaseClient.GenericExecuteSpec bindSettings(
      DatabaseClient.GenericExecuteSpec spec, ChartRepository r) {
    spec = spec.bind("kind", r.auth().kindName());
    spec =
        r.auth().username() == null
            ? spec.bindNull("username", String.class)
            : spec.bind("username", r.auth().username());
    spec =
        r.auth().sealedSecret() == null
            ? spec.bindNull("secret", ByteBuffer.class)
            : spec.bind("secret", ByteBuffer.wrap(r.auth().sealedSecret()));
    return r.caPem() == null ? spec.bindNull("ca", String.class) : spec.bind("ca", r.caPem());
  }

  @Override
  public Mono<Void> delete(String name) {
    return db.sql("delete from app_category where split_part(app_key, '/', 1) = :name")
        .bind("name", name)
        .then()
        .then(
            db.sql("delete from catalog_version where repository = :name")
                .bind("name", name)
                .then())
        .then(
            db.sql("delete from package_cache where repository = :name").bind("name", name).then())
        .then(
            db.sql("delete from chart_repository where name = :name and not builtin")
                .bind("name", name)
                .then());
  }

  @Override
  public Mono<Void> recordStatus(String name, long settingsVersion, SyncStatus s) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "update chart_repository set last_sync_at = :at, last_result = :result,"
                    + " last_error = :error, index_sha256 = :sha, app_count = :apps,"
                    + " version_count = :versions, skipped_count = :skipped,"
                    + " index_etag = :etag, index_last_modified = :lastModified,"
                    + " validators_version = :settingsVersion where name = :name")
            .bind("name", name)
            .bind("settingsVersion", settingsVersion)
            .bind("at", s.lastSyncAt().atOffset(ZoneOffset.UTC))
            .bind("result", s.result())
            .bind("apps", s.apps())
            .bind("versions", s.versions())
            .bind("skipped", s.skipped());
    spec = s.error() == null ? spec.bindNull("error", String.class) : spec.bind("error", s.error());
    spec =
        s.indexSha256() == null
            ? spec.bindNull("sha", String.class)
            : spec.bind("sha", s.indexSha256());
    spec = bindText(spec, "etag", s.validators().etag());
    spec = bindText(spec, "lastModified", s.validators().lastModified());
    return spec.then();
  }

  private static DatabaseClient.GenericExecuteSpec bindText(
      DatabaseClient.GenericExecuteSpec spec, String name, String value) {
    return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
  }

  @Override
  public Mono<Void> lockForSync(String name) {
    return db.sql("select pg_advisory_xact_lock(hashtext('runnel.market.sync:' || :name))")
        .bind("name", name)
        .fetch()
        .rowsUpdated()
        .then();
  }

  @Override
  public Mono<Void> requestSync(String name) {
    return db.sql("update chart_repository set sync_requested = true where name = :name")
        .bind("name", name)
        .then();
  }

  @Override
  public Flux<String> takeRequested() {
    return db.sql(
            "update chart_repository set sync_requested = false where sync_requested"
                + " returning name")
        .map(row -> row.get("name", String.class))
        .all();
  }

  private static ChartRepository toRepository(Readable row) {
    String kind = row.get("auth_kind", String.class);
    ByteBuffer secret = row.get("secret", ByteBuffer.class);
    byte[] sealed = null;
    if (secret != null) {
      sealed = new byte[secret.remaining()];
      secret.get(sealed);
    }
    RepositoryAuth auth =
        "none".equals(kind)
            ? RepositoryAuth.NONE
            : new RepositoryAuth(
                RepositoryAuth.Kind.valueOf(kind.toUpperCase(Locale.ROOT)),
                row.get("username", String.class),
                sealed);
    return new ChartRepository(
        row.get("name", String.class),
        row.get("url", String.class),
        Boolean.TRUE.equals(row.get("builtin", Boolean.class)),
        auth,
        row.get("ca_pem", String.class),
        Duration.ofSeconds(row.get("sync_interval_seconds", Integer.class)),
        new SyncStatus(
            instant(row.get("last_sync_at", OffsetDateTime.class)),
            row.get("last_result", String.class),
            row.get("last_error", String.class),
            row.get("index_sha256", String.class),
            row.get("app_count", Integer.class),
            row.get("version_count", Integer.class),
            row.get("skipped_count", Integer.class),
            validators(row)),
        row.get("version", Long.class),
        instant(row.get("created_at", OffsetDateTime.class)),
        instant(row.get("updated_at", OffsetDateTime.class)));
  }

  /** The stored validators, if they were obtained with the settings the row holds now. */
  private static IndexValidators validators(Readable row) {
    Long validFor = row.get("validators_version", Long.class);
    if (validFor == null || validFor.longValue() != row.get("version", Long.class)) {
      return IndexValidators.NONE;
    }
    return new IndexValidators(
        row.get("index_etag", String.class), row.get("index_last_modified", String.class));
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
