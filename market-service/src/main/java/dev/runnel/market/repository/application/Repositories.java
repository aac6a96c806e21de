package dev.runnel.market.repository.application;

import dev.runnel.market.repository.domain.ChartRepository;
import dev.runnel.market.repository.domain.SyncStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where repositories are kept. */
public interface Repositories {
  Flux<ChartRepository> all();

  Mono<ChartRepository> find(String name);

  Mono<Void> insert(ChartRepository repository);

  /** Stores the new settings if the stored version is still {@code expectedVersion}. */
  Mono<Boolean> update(ChartRepository repository, long expectedVersion);

  /** Removes the repository and its catalog. */
  Mono<Void> delete(String name);

  /**
   * Records a sync's outcome. Its validators are stored as valid for the settings {@code
   * settingsVersion} (the version the sync read): if the settings changed meanwhile, they are not
   * used.
   */
  Mono<Void> recordStatus(String name, long settingsVersion, SyncStatus status);

  /** Waits for, then holds until the transaction ends, the right to sync this repository. */
  Mono<Void> lockForSync(String name);

  /** Marks the repository for a sync at the scheduler's next tick. */
  Mono<Void> requestSync(String name);

  /** The repositories marked for a sync, clearing the marks. */
  Flux<String> takeRequested();
}
