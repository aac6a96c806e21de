package dev.runnel.deploy.instance.application;

import dev.runnel.deploy.instance.domain.ManifestObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The capacity check of installs, with reservations. Installs that passed it and have not finished
 * hold their requested CPU and memory: their pods may not exist yet when the next install looks,
 * and two installs looking at the same free capacity would both fit where only one does. Checks on
 * one cluster run one at a time for the same reason.
 */
@Component
class ClusterCapacity {
  private final Workloads workloads;
  private final Map<String, FifoSlots> checks = new ConcurrentHashMap<>();
  private final Map<String, Map<UUID, List<ManifestObject>>> held = new ConcurrentHashMap<>();

  ClusterCapacity(Workloads workloads) {
    this.workloads = workloads;
  }

  /**
   * Completes when the objects fit what the cluster's schedulable nodes can still allocate after
   * the installs in flight, and holds their share until {@link #release}; otherwise fails with what
   * is short, holding nothing.
   */
  Mono<Void> reserve(String cluster, UUID instanceId, List<ManifestObject> objects) {
    FifoSlots one = checks.computeIfAbsent(cluster, c -> new FifoSlots(1));
    return one.run(
        instanceId,
        Mono.defer(
            () ->
                workloads
                    .capacityShortfall(cluster, objects, Map.copyOf(reservations(cluster)))
                    .flatMap(shortfall -> Mono.<Void>error(new IllegalStateException(shortfall)))
                    .then(Mono.fromRunnable(() -> reservations(cluster).put(instanceId, objects)))),
        ahead -> Mono.empty());
  }

  /** The install has finished (its pods, if any, now count as themselves) or never will. */
  void release(String cluster, UUID instanceId) {
    Map<UUID, List<ManifestObject>> r = held.get(cluster);
    if (r != null) {
      r.remove(instanceId);
    }
  }

  private Map<UUID, List<ManifestObject>> reservations(String cluster) {
    return held.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>());
  }
}
