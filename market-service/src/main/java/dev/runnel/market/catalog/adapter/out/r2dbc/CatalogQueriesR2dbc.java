package dev.runnel.market.catalog.adapter.out.r2dbc;

import dev.runnel.market.catalog.application.CatalogQueries;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Search ranks by full-text relevance over name (weight A), keywords (B) and description (C), with
 * a bonus for an exact or prefix name match, then by installs; pages are keyset positions on that
 * order, so a page never repeats or skips an app while the catalog stays the same.
 */
@Repository
class CatalogQueriesR2dbc implements CatalogQueries {
  private static final String CARD =
      "a.repository, a.name, a.description, a.keywords, a.icon_url is not null as has_icon,"
          + " a.home, a.latest_version, a.app_version, a.deprecated, a.library, a.version_count,"
          + " coalesce(i.installs, 0) as installs,"
          + " array(select c.name from app_category ac join category c on c.id = ac.category_id"
          + " where ac.app_key = a.repository || '/' || a.name order by c.name) as categories";
  private final DatabaseClient db;
  private final JsonMapper json;

  CatalogQueriesR2dbc(DatabaseClient db, JsonMapper json) {
    this.db = db;
    this.json = json;
  }

  @Override
  public Flux<AppCard> search(Search search, SearchCursor after, int limit) {
    boolean hasQuery = !search.text().isEmpty();
    boolean hasTerms = !search.terms().isEmpty();
    String tsquery = String.join(" & ", search.terms().stream().map(t -> t + ":*").toList());
    StringBuilder score = new StringBuilder("0");
    if (hasQuery) {
      score.append(" + case when lower(a.name) = lower(:text) then 10 else 0 end");
      score.append(" + case when a.name ilike :prefix escape '\\' then 3 else 0 end");
    }
    if (hasTerms) {
      score.append(" + ts_rank(a.search, to_tsquery('simple', :tsq))");
    }
    StringBuilder sql =
        new StringBuilder("select * from (select ")
            .append(CARD)
            .append(", (")
            .append(score)
            .append(")::real as score from catalog_app a left join app_installs i")
            .append(" on i.repository = a.repository and i.name = a.name where true");
    if (hasQuery) {
      sql.append(" and (a.name ilike :anywhere escape '\\'");
      if (hasTerms) {
        sql.append(" or a.search @@ to_tsquery('simple', :tsq)");
      }
      sql.append(")");
    }
    if (search.repository() != null) {
      sql.append(" and a.repository = :repository");
    }
    if (search.category() != null) {
      sql.append(
          " and exists (select 1 from app_category ac join category c on c.id = ac.category_id"
              + " where ac.app_key = a.repository || '/' || a.name"
              + " and lower(c.name) = lower(:category))");
    }
    sql.append(") s");
    if (after != null) {
      sql.append(
          " where s.score < :cs or (s.score = :cs and (s.installs < :ci or (s.installs = :ci"
              + " and (s.repository, s.name) > (:cr, :cn))))");
    }
    sql.append(" order by s.score desc, s.installs desc, s.repository, s.name limit :limit");
    DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString()).bind("limit", limit);
    if (hasQuery) {
      String like = escapeLike(search.text());
      spec =
          spec.bind("text", search.text())
              .bind("prefix", like + "%")
              .bind("anywhere", "%" + like + "%");
    }
    if (hasTerms) {
      spec = spec.bind("tsq", tsquery);
    }
    if (search.repository() != null) {
      spec = spec.bind("repository", search.repository());
    }
    if (search.category() != null) {
      spec = spec.bind("category", search.category());
    }
    if (after != null) {
      spec =
          spec.bind("cs", after.score())
              .bind("ci", after.installs())
              .bind("cr", after.repository())
              .bind("cn", after.name());
    }
    return spec.map(CatalogQueriesR2dbc::toCard).all();
  }

  private static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  @Override
  public Mono<AppCard> app(String repository, String name) {
    return db.sql(
            "select "
                + CARD
                + ", 0::real as score from catalog_app a left join app_installs i"
                + " on i.repository = a.repository and i.name = a.name"
                + " where a.repository = :r and a.name = :n")
        .bind("r", repository)
        .bind("n", name)
        .map(CatalogQueriesR2dbc::toCard)
        .one();
  }

  @Override
  public Flux<VersionRow> versions(String repository, String name) {
    return db.sql(
            "select version, app_version, description, created, digest, deprecated, prerelease,"
                + " library from catalog_version where repository = :r and app_name = :n")
        .bind("r", repository)
        .bind("n", name)
        .map(
            row -> {
              OffsetDateTime created = row.get("created", OffsetDateTime.class);
              return new VersionRow(
                  row.get("version", String.class),
                  row.get("app_version", String.class),
                  row.get("description", String.class),
                  created == null ? null : created.toInstant(),
                  row.get("digest", String.class),
                  Boolean.TRUE.equals(row.get("deprecated", Boolean.class)),
                  Boolean.TRUE.equals(row.get("prerelease", Boolean.class)),
                  Boolean.TRUE.equals(row.get("library", Boolean.class)));
            })
        .all();
  }

  @Override
  public Mono<Map<String, Object>> latestEntry(String repository, String name) {
    return db.sql(
            "select v.entry from catalog_version v join catalog_app a on a.repository ="
                + " v.repository and a.name = v.app_name and a.latest_version = v.version"
                + " where v.repository = :r and v.app_name = :n")
        .bind("r", repository)
        .bind("n", name)
        .map(row -> row.get("entry", String.class))
        .one()
        .map(
            text -> {
              Map<String, Object> entry =
                  json.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
              return entry;
            });
  }

  @Override
  public Mono<String> iconUrl(String repository, String name) {
    return db.sql("select icon_url from catalog_app where repository = :r and name = :n")
        .bind("r", repository)
        .bind("n", name)
        .map(row -> java.util.Optional.ofNullable(row.get("icon_url", String.class)))
        .one()
        .flatMap(Mono::justOrEmpty);
  }

  private static AppCard toCard(Readable row) {
    return new AppCard(
        row.get("repository", String.class),
        row.get("name", String.class),
        row.get("description", String.class),
        list(row.get("keywords", String[].class)),
        list(row.get("categories", String[].class)),
        Boolean.TRUE.equals(row.get("has_icon", Boolean.class)),
        row.get("home", String.class),
        row.get("latest_version", String.class),
        row.get("app_version", String.class),
        Boolean.TRUE.equals(row.get("deprecated", Boolean.class)),
        Boolean.TRUE.equals(row.get("library", Boolean.class)),
        row.get("version_count", Integer.class),
        row.get("installs", Long.class),
        row.get("score", Float.class));
  }

  private static List<String> list(String[] values) {
    return values == null ? List.of() : Arrays.asList(values);
  }
}
