package dev.runnel.market.repository.adapter.out.r2dbc;

import dev.runnel.market.catalog.domain.AppSummary;
import dev.runnel.market.catalog.domain.IndexEntry;
import dev.runnel.market.repository.application.CatalogStore;
import io.netty.buffer.Unpooled;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Wrapped;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a sync's catalog: the versions with PostgreSQL's COPY (r2dbc-postgresql's {@code copyIn})
 * on the sync transaction's connection, one COPY per batch, because binding ~40 MB of text as
 * {@code unnest} array parameters cost the service more CPU than anything else in a sync; the apps
 * (hundreds, not tens of thousands) with one {@code unnest} statement, where array elements cannot
 * be arrays, so list fields travel newline-joined and are split in SQL.
 */
@Repository
class CatalogStoreR2dbc implements CatalogStore {
  private static final String COPY_VERSIONS =
      "copy catalog_version (repository, app_name, version, app_version, description, created,"
          + " digest, urls, deprecated, prerelease, library, entry) from stdin";
  private final DatabaseClient db;
  private final JsonMapper json;

  CatalogStoreR2dbc(DatabaseClient db, JsonMapper json) {
    this.db = db;
    this.json = json;
  }

  @Override
  public Mono<Void> clear(String repository) {
    return db.sql(
            "create temp table if not exists sync_previous (app_name text, version text)"
                + " on commit delete rows")
        .then()
        .then(db.sql("truncate sync_previous").then())
        .then(
            db.sql(
                    "insert into sync_previous select app_name, version from catalog_version"
                        + " where repository = :r")
                .bind("r", repository)
                .then())
        .then(
            db.sql("delete from catalog_version where repository = :r")
                .bind("r", repository)
                .then())
        .then(db.sql("delete from catalog_app where repository = :r").bind("r", repository).then());
  }

  @Override
  public Mono<Void> insertVersions(String repository, List<IndexEntry> entries) {
    if (entries.isEmpty()) {
      return Mono.empty();
    }
    // Encoded before the connection is asked for: the batch's rows as COPY text, one buffer.
    return Mono.fromCallable(() -> copyRows(repository, entries))
        .flatMap(
            rows ->
                db.inConnection(
                    connection ->
                        postgres(connection)
                            .copyIn(
                                COPY_VERSIONS,
                                Mono.fromSupplier(() -> Unpooled.wrappedBuffer(rows)))))
        .then();
  }

  /**
   * The connection the driver opened, under the pool's and Spring's wrappers. Inside the sync's
   * transaction {@link DatabaseClient#inConnection} hands out the transaction's own connection, so
   * the COPY is part of the atomic replace.
   */
  private static PostgresqlConnection postgres(Connection connection) {
    Object c = connection;
    for (int i = 0;
        i < 8 && !(c instanceof PostgresqlConnection) && c instanceof Wrapped<?> w;
        i++) {
      c = w.unwrap();
    }
    if (c instanceof PostgresqlConnection pg) {
      return pg;
    }
    throw new IllegalStateException(
        "the catalog needs a PostgreSQL connection for COPY, got " + connection.getClass());
  }

  /** The batch as {@code COPY ... FROM STDIN} text: tab-separated, {@code \\N} for null. */
  private byte[] copyRows(String repository, List<IndexEntry> entries) {
    StringBuilder out = new StringBuilder(entries.size() * 1536);
    for (IndexEntry e : entries) {
      field(out, repository).append('\t');
      field(out, e.name()).append('\t');
      field(out, e.version()).append('\t');
      field(out, emptyToNull(e.appVersion())).append('\t');
      field(out, orEmpty(e.description())).append('\t');
      field(out, e.created() == null ? null : e.created().toString()).append('\t');
      field(out, emptyToNull(e.digest())).append('\t');
      field(out, textArray(e.urls())).append('\t');
      out.append(e.deprecated() ? 't' : 'f').append('\t');
      out.append(e.prerelease() ? 't' : 'f').append('\t');
      out.append(e.library() ? 't' : 'f').append('\t');
      field(out, json.writeValueAsString(e.raw())).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * One value in COPY's text format: backslash, tab, newline and carriage return escaped; NUL,
   * which no PostgreSQL text can hold, dropped.
   */
  static StringBuilder field(StringBuilder out, String value) {
    if (value == null) {
      return out.append("\\N");
    }
    for (int i = 0, n = value.length(); i < n; i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\0' -> {}
        default -> out.append(ch);
      }
    }
    return out;
  }

  /** A text[] literal: every element quoted, with {@code "} and {@code \\} escaped. */
  static String textArray(List<String> values) {
    StringBuilder a = new StringBuilder().append('{');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        a.append(',');
      }
      a.append('"');
      String v = values.get(i);
      for (int j = 0; j < v.length(); j++) {
        char ch = v.charAt(j);
        if (ch == '"' || ch == '\\') {
          a.append('\\');
        }
        a.append(ch);
      }
      a.append('"');
    }
    return a.append('}').toString();
  }

  @Override
  public Mono<Void> insertApps(String repository, Collection<AppSummary> apps) {
    if (apps.isEmpty()) {
      return Mono.empty();
    }
    int n = apps.size();
    String[] name = new String[n];
    String[] description = new String[n];
    String[] keywords = new String[n];
    String[] categories = new String[n];
    String[] icon = new String[n];
    String[] home = new String[n];
    String[] latest = new String[n];
    String[] appVersion = new String[n];
    Boolean[] deprecated = new Boolean[n];
    Boolean[] library = new Boolean[n];
    Integer[] versions = new Integer[n];
    int i = 0;
    for (AppSummary s : apps) {
      IndexEntry e = s.latest();
      name[i] = e.name();
      description[i] = orEmpty(e.description());
      keywords[i] = String.join("\n", e.keywords());
      categories[i] = String.join("\n", e.categories());
      icon[i] = orEmpty(e.icon());
      home[i] = orEmpty(e.home());
      latest[i] = e.version();
      appVersion[i] = orEmpty(e.appVersion());
      deprecated[i] = e.deprecated();
      library[i] = e.library();
      versions[i] = s.versions();
      i++;
    }
    return db.sql(
            "insert into catalog_app (repository, name, description, keywords, keywords_text,"
                + " raw_categories, icon_url, home, latest_version, app_version, deprecated,"
                + " library, version_count)"
                + " select :r, t.n, t.d, case when t.k = '' then '{}'::text[]"
                + " else string_to_array(t.k, E'\\n') end, replace(t.k, E'\\n', ' '),"
                + " case when t.c = '' then '{}'::text[] else string_to_array(t.c, E'\\n') end,"
                + " nullif(t.i, ''), nullif(t.h, ''), t.l, nullif(t.av, ''), t.dep, t.lib, t.vc"
                + " from unnest(:n::text[], :d::text[], :k::text[], :c::text[], :i::text[],"
                + " :h::text[], :l::text[], :av::text[], :dep::boolean[], :lib::boolean[],"
                + " :vc::integer[]) as t(n, d, k, c, i, h, l, av, dep, lib, vc)")
        .bind("r", repository)
        .bind("n", name)
        .bind("d", description)
        .bind("k", keywords)
        .bind("c", categories)
        .bind("i", icon)
        .bind("h", home)
        .bind("l", latest)
        .bind("av", appVersion)
        .bind("dep", deprecated)
        .bind("lib", library)
        .bind("vc", versions)
        .then();
  }

  @Override
  public Mono<Void> refileCategories(String repository) {
    return db.sql("delete from app_category where split_part(app_key, '/', 1) = :r")
        .bind("r", repository)
        .then()
        .then(
            db.sql(
                    "insert into app_category (app_key, category_id)"
                        + " select distinct a.repository || '/' || a.name, c.id"
                        + " from catalog_app a join category c on"
                        + " lower(c.name) = any (a.raw_categories)"
                        + " or exists (select 1 from category_mapping m where m.category_id = c.id"
                        + " and ((m.kind = 'annotation' and m.value = any (a.raw_categories))"
                        + " or (m.kind = 'keyword' and m.value = any (a.keywords))))"
                        + " where a.repository = :r")
                .bind("r", repository)
                .then());
  }

  @Override
  public Flux<VersionChange> changes(String repository) {
    return db.sql(
            "select n.app_name, true as added, array_agg(n.version order by n.version) as versions"
                + " from catalog_version n where n.repository = :r and not exists (select 1 from"
                + " sync_previous o where o.app_name = n.app_name and o.version = n.version)"
                + " group by n.app_name"
                + " union all"
                + " select o.app_name, false, array_agg(o.version order by o.version)"
                + " from sync_previous o where not exists (select 1 from catalog_version n"
                + " where n.repository = :r and n.app_name = o.app_name"
                + " and n.version = o.version) group by o.app_name order by 1, 2 desc")
        .bind("r", repository)
        .map(
            row ->
                new VersionChange(
                    row.get("app_name", String.class),
                    Boolean.TRUE.equals(row.get("added", Boolean.class)),
                    Arrays.asList(row.get("versions", String[].class))))
        .all();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
