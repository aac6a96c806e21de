package dev.runnel.market.catalog.application;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads of the synced catalog. */
public interface CatalogQueries {
  /** One page of apps matching {@code search}, best first, after {@code after} when given. */
  Flux<AppCard> search(Search search, SearchCursor after, int limit);

  Mono<AppCard> app(String repository, String name);

  Flux<VersionRow> versions(String repository, String name);

  /** The index entry of the app's newest version, as JSON fields. */
  Mono<Map<String, Object>> latestEntry(String repository, String name);

  Mono<String> iconUrl(String repository, String name);

  /**
   * What the catalog searches for: {@code terms} are letters-and-digits words (each matched as a
   * prefix), {@code text} the query as typed (matched anywhere in the name).
   */
  record Search(List<String> terms, String text, String category, String repository) {}

  /** A position in the ranked list, opaque to clients. */
  record SearchCursor(float score, long installs, String repository, String name) {}

  record AppCard(
      String repository,
      String name,
      String description,
      List<String> keywords,
      List<String> categories,
      boolean hasIcon,
      String home,
      String latestVersion,
      String appVersion,
      boolean deprecated,
      boolean library,
      int versionCount,
      long installs,
      float score) {}

  record VersionRow(
      String version,
      String appVersion,
      String description,
      Instant created,
      String digest,
      boolean deprecated,
      boolean prerelease,
      boolean library) {}
}
