package dev.runnel.market.repository.adapter.out.r2dbc;

import dev.runnel.market.catalog.domain.AppSummary;
import dev.runnel.market.catalog.domain.IndexEntry;
import dev.runnel.market.repository.application.CatalogStore;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a sync's catalog with one multi-row statement per batch ({@code unnest} of parallel
 * arrays), the fastest bulk insert R2DBC offers short of COPY. Array elements cannot be arrays, so
 * list fields travel newline-joined and are split in SQL.
 */
@Repository
class CatalogStoreR2dbc implements CatalogStore {
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
    int n = entries.size();
    String[] app = new String[n];
    String[] version = new String[n];
    String[] appVersion = new String[n];
    String[] description = new String[n];
    String[] created = new String[n];
    String[] digest = new String[n];
    String[] urls = new String[n];
    Boolean[] deprecated = new Boolean[n];
    Boolean[] prerelease = new Boolean[n];
    Boolean[] library = new Boolean[n];
    String[] entry = new String[n];
    for (int i = 0; i < n; i++) {
      IndexEntry e = entries.get(i);
      app[i] = e.name();
      version[i] = e.version();
      appVersion[i] = orEmpty(e.appVersion());
      description[i] = orEmpty(e.description());
      created[i] = e.created() == null ? "" : e.created().toString();
      digest[i] = orEmpty(e.digest());
      urls[i] = String.join("\n", e.urls());
      deprecated[i] = e.deprecated();
      prerelease[i] = e.prerelease();
      library[i] = e.library();
      entry[i] = json.writeValueAsString(e.raw());
    }
    return db.sql(
            "insert into catalog_version (repository, app_name, version, app_version, description,"
                + " created, digest, urls, deprecated, prerelease, library, entry)"
                + " select :r, t.a, t.v, nullif(t.av, ''), t.d, nullif(t.c, '')::timestamptz,"
                + " nullif(t.dg, ''), case when t.u = '' then '{}'::text[]"
                + " else string_to_array(t.u, E'\\n') end, t.dep, t.pre, t.lib, t.e"
                + " from unnest(:a::text[], :v::text[], :av::text[], :d::text[], :c::text[],"
                + " :dg::text[], :u::text[], :dep::boolean[], :pre::boolean[], :lib::boolean[],"
                + " :e::text[]) as t(a, v, av, d, c, dg, u, dep, pre, lib, e)")
        .bind("r", repository)
        .bind("a", app)
        .bind("v", version)
        .bind("av", appVersion)
        .bind("d", description)
        .bind("c", created)
        .bind("dg", digest)
        .bind("u", urls)
        .bind("dep", deprecated)
        .bind("pre", prerelease)
        .bind("lib", library)
        .bind("e", entry)
        .then();
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

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
