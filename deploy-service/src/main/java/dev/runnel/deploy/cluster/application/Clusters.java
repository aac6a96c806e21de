package dev.runnel.deploy.cluster.application;

import dev.runnel.deploy.cluster.domain.Cluster;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where clusters and their sealed kubeconfigs are kept. */
public interface Clusters {
  Mono<Cluster> find(String name);

  Flux<Cluster> all();

  /** Inserts or replaces the cluster and its sealed kubeconfig. */
  Mono<Void> save(Cluster cluster, byte[] sealedKubeconfig);

  Mono<Void> delete(String name);

  /** Instances (not deleted) placed on the cluster. */
  Mono<Long> countInstances(String name);
}
