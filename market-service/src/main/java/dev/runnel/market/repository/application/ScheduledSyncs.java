package dev.runnel.market.repository.application;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One round of the scheduler: every repository whose interval has passed, and every repository
 * marked for a sync (a chart published into {@code local}), is synced once, one after the other. A
 * failed sync is recorded on its repository and does not stop the round.
 */
@Service
public class ScheduledSyncs {
  private static final Logger log = LoggerFactory.getLogger(ScheduledSyncs.class);
  private final Repositories repositories;
  private final SyncCatalog sync;
  private final Clock clock;

  public ScheduledSyncs(Repositories repositories, SyncCatalog sync, Clock clock) {
    this.repositories = repositories;
    this.sync = sync;
    this.clock = clock;
  }

  public Mono<Integer> runOnce() {
    return repositories
        .takeRequested()
        .collectList()
        .flatMap(
            requested ->
                repositories
                    .all()
                    .filter(r -> r.due(clock.instant()))
                    .map(r -> r.name())
                    .collectList()
                    .map(
                        due -> {
                          Set<String> names = new LinkedHashSet<>(requested);
                          names.addAll(due);
                          return names;
                        }))
        .flatMapMany(Flux::fromIterable)
        .concatMap(
            name ->
                sync.sync(name, "system")
                    .thenReturn(1)
                    .onErrorResume(
                        e -> {
                          log.debug("scheduled sync of '{}' failed", name, e);
                          return Mono.just(0);
                        }))
        .reduce(0, Integer::sum);
  }
}
