package dev.runnel.deploy.health.application;

import dev.runnel.deploy.instance.domain.LiveObject;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Informers on Runnel's labelled objects, one per kind with a health, per cluster. They keep a
 * cache of what the cluster has and report which instance an add, update, delete or resync touched.
 */
public interface ClusterWatches {
  /**
   * Starts watching the cluster. Does not wait for, nor fail on, an unreachable API server: the
   * informers keep retrying in the background. {@code onSynced} runs once every informer has listed
   * the cluster.
   */
  void start(String cluster, String kubeconfig, Consumer<UUID> onChange, Runnable onSynced);

  void stop(String cluster);

  /** The clusters being watched, each with the kubeconfig its watches use. */
  Map<String, String> watching();

  /** Whether every informer of the cluster has listed it and its watch is open. */
  boolean connected(String cluster);

  /** The instance's objects (and pods) in the cache, assessed, keyed {@code Kind/name}. */
  Map<String, LiveObject> live(String cluster, String namespace, UUID instanceId);
}
