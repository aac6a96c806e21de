package dev.runnel.deploy.kube;

import reactor.core.publisher.Mono;

/** Reads a registered cluster's kubeconfig (opened, in memory only). */
public interface SealedKubeconfigs {
  /** Empty when no such cluster is registered. */
  Mono<String> kubeconfig(String cluster);
}
