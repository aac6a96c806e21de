package dev.runnel.market.catalog.application;

import dev.runnel.kit.problem.Problem;
import dev.runnel.market.catalog.application.CatalogQueries.AppCard;
import dev.runnel.market.catalog.application.CatalogQueries.SearchCursor;
import dev.runnel.market.catalog.application.CatalogQueries.VersionRow;
import dev.runnel.market.catalog.domain.ChartVersions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Search and details of the catalog. Everyone signed in may read it (checked at the edge). */
@Service
public class BrowseCatalog {
  public static final int MAX_PAGE = 100;
  private static final int MAX_QUERY = 200;
  private static final int MAX_TERMS = 8;
  private final CatalogQueries queries;

  public BrowseCatalog(CatalogQueries queries) {
    this.queries = queries;
  }

  /** A page of apps and the cursor of the next page (null on the last). */
  public record Page(List<AppCard> items, String nextCursor) {}

  /** An app with its versions, newest first by semantic version. */
  public record Details(AppCard app, List<VersionRow> versions, Map<String, Object> latestEntry) {}

  public Mono<Page> search(String q, String category, String repository, String cursor, int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      return Mono.error(Problem.invalid("limit", "must be between 1 and " + MAX_PAGE));
    }
    if (q != null && q.length() > MAX_QUERY) {
      return Mono.error(Problem.invalid("q", "must be at most " + MAX_QUERY + " characters"));
    }
    SearchCursor after = null;
    if (cursor != null && !cursor.isEmpty()) {
      after = decode(cursor);
      if (after == null) {
        return Mono.error(Problem.invalid("cursor", "is not a cursor this API returned"));
      }
    }
    String text = q == null ? "" : q.strip();
    List<String> terms = new ArrayList<>();
    for (String t : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!t.isEmpty() && terms.size() < MAX_TERMS) {
        terms.add(t);
      }
    }
    CatalogQueries.Search search =
        new CatalogQueries.Search(terms, text, blankToNull(category), blankToNull(repository));
    return queries
        .search(search, after, limit + 1)
        .collectList()
        .map(
            rows -> {
              if (rows.size() <= limit) {
                return new Page(rows, null);
              }
              AppCard last = rows.get(limit - 1);
              return new Page(
                  rows.subList(0, limit),
                  encode(
                      new SearchCursor(
                          last.score(), last.installs(), last.repository(), last.name())));
            });
  }

  public Mono<AppCard> app(String repository, String name) {
    return queries
        .app(repository, name)
        .switchIfEmpty(Mono.error(() -> Problem.notFound("App", repository + "/" + name)));
  }

  public Mono<Details> details(String repository, String name) {
    return app(repository, name)
        .flatMap(
            app ->
                queries
                    .versions(repository, name)
                    .collectSortedList(
                        Comparator.comparing(VersionRow::version, ChartVersions.NEWEST_FIRST))
                    .zipWith(queries.latestEntry(repository, name).defaultIfEmpty(Map.of()))
                    .map(t -> new Details(app, t.getT1(), t.getT2())));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  static String encode(SearchCursor c) {
    String raw = c.score() + "|" + c.installs() + "|" + c.repository() + "|" + c.name();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static SearchCursor decode(String raw) {
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8).split("\\|", 4);
      if (parts.length != 4) {
        return null;
      }
      float score = Float.parseFloat(parts[0]);
      if (!Float.isFinite(score)) {
        return null;
      }
      return new SearchCursor(score, Long.parseLong(parts[1]), parts[2], parts[3]);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
