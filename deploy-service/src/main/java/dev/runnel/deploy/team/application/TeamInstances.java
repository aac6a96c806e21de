package dev.runnel.deploy.team.application;

import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** What the team runs, as deploy-service's instances say. */
public interface TeamInstances {
  /** The team's instances (not deleted) besides {@code except}, with their current manifests. */
  Flux<InstanceManifest> othersThan(String team, UUID except);

  /** The team's instances (not deleted) on the cluster. */
  Mono<Long> countOn(String team, String cluster);

  /**
   * @param manifest the deployed revision's manifest; empty while the first install runs
   */
  record InstanceManifest(UUID id, String cluster, String manifest) {}
}
