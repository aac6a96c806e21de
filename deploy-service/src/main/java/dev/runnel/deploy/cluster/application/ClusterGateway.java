package dev.runnel.deploy.cluster.application;

import dev.runnel.deploy.cluster.domain.ClusterProbe;
import dev.runnel.deploy.cluster.domain.NodeInfo;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The Kubernetes side of clusters. */
public interface ClusterGateway {
  /** Connects with the kubeconfig and reports what it found; an error when it cannot. */
  Mono<ClusterProbe> probe(String kubeconfig);

  Flux<NodeInfo> nodes(String cluster);

  /** Closes the cluster's cached client; the next call connects anew. */
  void forget(String cluster);
}
