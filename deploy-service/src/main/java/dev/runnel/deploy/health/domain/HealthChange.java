package dev.runnel.deploy.health.domain;

import dev.runnel.deploy.instance.domain.HealthSnapshot;
import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.instance.domain.InstanceState;
import dev.runnel.deploy.instance.domain.ObjectHealth;
import dev.runnel.health.HealthStatus;
import java.util.List;
import java.util.Optional;

/**
 * A change of an instance's health noticed by the standing watch.
 *
 * @param unhealthy the objects (and pods) that are not Healthy now
 */
public record HealthChange(
    Instance instance,
    HealthStatus previous,
    HealthStatus current,
    String reason,
    List<ObjectHealth> unhealthy) {

  public HealthChange {
    unhealthy = List.copyOf(unhealthy);
    reason = reason == null ? "" : reason;
  }

  /**
   * Whether the watch looks after an instance in this state. Installing and deleting instances
   * belong to their operation; a stopped one is Suspended by definition (its workloads at zero
   * replicas would otherwise read Healthy).
   */
  public static boolean watched(InstanceState state) {
    return state == InstanceState.RUNNING || state == InstanceState.FAILED;
  }

  /** Empty when the stored health already is the observed one (a resync changes nothing). */
  public static Optional<HealthChange> between(Instance stored, HealthSnapshot observed) {
    if (!watched(stored.state()) || stored.health() == observed.status()) {
      return Optional.empty();
    }
    return Optional.of(
        new HealthChange(
            stored,
            stored.health(),
            observed.status(),
            observed.reason(),
            observed.objects().stream()
                .filter(o -> o.status() != null && o.status() != HealthStatus.HEALTHY)
                .toList()));
  }

  /**
   * The cluster's API server stopped answering: what was last seen can no longer be vouched for.
   */
  public static Optional<HealthChange> unreachable(Instance stored, String cluster) {
    if (!watched(stored.state()) || stored.health() == HealthStatus.UNKNOWN) {
      return Optional.empty();
    }
    return Optional.of(
        new HealthChange(
            stored,
            stored.health(),
            HealthStatus.UNKNOWN,
            "Cluster '"
                + cluster
                + "' is unreachable; last seen "
                + stored.health().label()
                + ". Health is assessed again when it answers",
            List.of()));
  }
}
