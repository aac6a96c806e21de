package dev.runnel.deploy.health.application;

import dev.runnel.deploy.health.domain.HealthChange;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where the watch stores an instance's health. */
public interface HealthRecords {
  /**
   * Stores the new health if the stored one still is {@code change.previous()}, the instance is
   * still watched and no operation is pending or running on it; false otherwise (nothing changed).
   */
  Mono<Boolean> store(HealthChange change);

  /** The instances on the cluster the watch looks after. */
  Flux<UUID> watchedOn(String cluster);
}
