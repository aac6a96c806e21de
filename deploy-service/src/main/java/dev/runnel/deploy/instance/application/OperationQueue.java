package dev.runnel.deploy.instance.application;

import dev.runnel.deploy.config.DeployProperties;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * One line of operations per cluster: at most {@code operations.max-running-per-cluster} run at
 * once, the others wait in arrival order. Accepting an operation costs no Kubernetes call, so a
 * burst of requests is accepted whole and then worked through at a pace the cluster's bulkhead
 * holds, instead of the requests racing each other for it and some being refused.
 *
 * <p>The line lives in this process: after a restart, operations that were waiting are failed (see
 * {@link InstanceOperations#failInterrupted()}); none was started, so nothing was applied.
 */
@Component
public class OperationQueue {
  private final int limit;
  private final Map<String, FifoSlots> lanes = new ConcurrentHashMap<>();
  private final Map<UUID, String> waitingOn = new ConcurrentHashMap<>();

  public OperationQueue(DeployProperties properties) {
    this.limit = properties.operations().maxRunningPerCluster();
  }

  /** How many operations run at once per cluster. */
  public int limit() {
    return limit;
  }

  <T> Mono<T> run(String cluster, UUID operationId, Mono<T> work, FifoSlots.Listener listener) {
    FifoSlots lane = lanes.computeIfAbsent(cluster, c -> new FifoSlots(limit));
    return Mono.defer(
            () -> {
              waitingOn.put(operationId, cluster);
              return lane.run(
                  operationId,
                  Mono.defer(
                      () -> {
                        waitingOn.remove(operationId);
                        return work;
                      }),
                  listener);
            })
        .doFinally(s -> waitingOn.remove(operationId));
  }

  /** The operation's place in its cluster's line (1 is next), or 0 when it is not waiting. */
  public int position(UUID operationId) {
    String cluster = waitingOn.get(operationId);
    FifoSlots lane = cluster == null ? null : lanes.get(cluster);
    int ahead = lane == null ? -1 : lane.ahead(operationId);
    return ahead + 1;
  }

  /**
   * Takes a waiting operation out of the line so it never starts; false when it is not waiting here
   * (it already got its slot, or another process holds it).
   */
  boolean withdraw(UUID operationId) {
    String cluster = waitingOn.get(operationId);
    FifoSlots lane = cluster == null ? null : lanes.get(cluster);
    return lane != null && lane.withdraw(operationId);
  }
}
