package dev.runnel.market.repository.application;

import dev.runnel.market.catalog.domain.AppSummary;
import dev.runnel.market.catalog.domain.IndexEntry;
import java.util.Collection;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The catalog side of a sync. All calls of one sync run in one transaction: {@link #clear}
 * remembers the previous versions and empties the repository's catalog, the batches and apps fill
 * it again, and {@link #changes} compares the two.
 */
public interface CatalogStore {
  Mono<Void> clear(String repository);

  Mono<Void> insertVersions(String repository, List<IndexEntry> entries);

  Mono<Void> insertApps(String repository, Collection<AppSummary> apps);

  /** Files the repository's apps under categories (annotations and the admin mapping). */
  Mono<Void> refileCategories(String repository);

  /** Per app, the versions added or removed compared to before {@link #clear}. */
  Flux<VersionChange> changes(String repository);

  /** Versions of one app that appeared or disappeared. */
  record VersionChange(String app, boolean added, List<String> versions) {}
}
