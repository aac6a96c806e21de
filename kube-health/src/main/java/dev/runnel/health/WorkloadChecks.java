package dev.runnel.health;

/**
 * Deployments, StatefulSets, DaemonSets and ReplicaSets: healthy once the controller has observed
 * the latest spec and the rollout it implies is complete (the rules of {@code kubectl rollout
 * status}, as gitops-engine applies them).
 */
final class WorkloadChecks {
  private WorkloadChecks() {}

  static Health deployment(KubeObject d) {
    if (d.flag("spec", "paused")) {
      return new Health(HealthStatus.SUSPENDED, "Deployment is paused");
    }
    if (!observedLatestGeneration(d)) {
      return progressing(
          "Waiting for rollout to finish: observed deployment generation less than desired"
              + " generation");
    }
    KubeObject progressing = d.condition("Progressing");
    if (progressing != null && "ProgressDeadlineExceeded".equals(progressing.string("reason"))) {
      return new Health(
          HealthStatus.DEGRADED, "Deployment \"" + d.name() + "\" exceeded its progress deadline");
    }
    long updated = d.number(0, "status", "updatedReplicas");
    long replicas = d.number(0, "status", "replicas");
    long available = d.number(0, "status", "availableReplicas");
    if (d.has("spec", "replicas") && updated < d.number(0, "spec", "replicas")) {
      return progressing(
          "Waiting for rollout to finish: %d out of %d new replicas have been updated..."
              .formatted(updated, d.number(0, "spec", "replicas")));
    }
    if (replicas > updated) {
      return progressing(
          "Waiting for rollout to finish: %d old replicas are pending termination..."
              .formatted(replicas - updated));
    }
    if (available < updated) {
      return progressing(
          "Waiting for rollout to finish: %d of %d updated replicas are available..."
              .formatted(available, updated));
    }
    return healthy("");
  }

  static Health statefulSet(KubeObject s) {
    long observed = s.number(0, "status", "observedGeneration");
    if (observed == 0 || s.number(0, "metadata", "generation") > observed) {
      return progressing("Waiting for statefulset spec update to be observed...");
    }
    long ready = s.number(0, "status", "readyReplicas");
    long updated = s.number(0, "status", "updatedReplicas");
    if (s.has("spec", "replicas") && ready < s.number(0, "spec", "replicas")) {
      return progressing(
          "Waiting for %d pods to be ready...".formatted(s.number(0, "spec", "replicas") - ready));
    }
    String strategy = s.string("spec", "updateStrategy", "type");
    if ("RollingUpdate".equals(strategy) && s.has("spec", "updateStrategy", "rollingUpdate")) {
      if (s.has("spec", "replicas")
          && s.has("spec", "updateStrategy", "rollingUpdate", "partition")) {
        long expected =
            s.number(0, "spec", "replicas")
                - s.number(0, "spec", "updateStrategy", "rollingUpdate", "partition");
        if (updated < expected) {
          return progressing(
              "Waiting for partitioned roll out to finish: %d out of %d new pods have been updated..."
                  .formatted(updated, expected));
        }
      }
      return healthy(
          "partitioned roll out complete: %d new pods have been updated...".formatted(updated));
    }
    if ("OnDelete".equals(strategy)) {
      return healthy("statefulset has %d ready pods".formatted(ready));
    }
    String updateRevision = s.string("status", "updateRevision");
    if (!updateRevision.equals(s.string("status", "currentRevision"))) {
      return progressing(
          "waiting for statefulset rolling update to complete %d pods at revision %s..."
              .formatted(updated, updateRevision));
    }
    return healthy(
        "statefulset rolling update complete %d pods at revision %s..."
            .formatted(
                s.number(0, "status", "currentReplicas"), s.string("status", "currentRevision")));
  }

  static Health daemonSet(KubeObject d) {
    if (!observedLatestGeneration(d)) {
      return progressing(
          "Waiting for rollout to finish: observed daemon set generation less than desired"
              + " generation");
    }
    long desired = d.number(0, "status", "desiredNumberScheduled");
    long updated = d.number(0, "status", "updatedNumberScheduled");
    long available = d.number(0, "status", "numberAvailable");
    if ("OnDelete".equals(d.string("spec", "updateStrategy", "type"))) {
      return healthy(
          "daemon set %d out of %d new pods have been updated".formatted(updated, desired));
    }
    if (updated < desired) {
      return progressing(
          "Waiting for daemon set \"%s\" rollout to finish: %d out of %d new pods have been updated..."
              .formatted(d.name(), updated, desired));
    }
    if (available < desired) {
      return progressing(
          "Waiting for daemon set \"%s\" rollout to finish: %d of %d updated pods are available..."
              .formatted(d.name(), available, desired));
    }
    return healthy("");
  }

  static Health replicaSet(KubeObject r) {
    if (!observedLatestGeneration(r)) {
      return progressing(
          "Waiting for rollout to finish: observed replica set generation less than desired"
              + " generation");
    }
    KubeObject failure = r.condition("ReplicaFailure");
    if (failure != null && "True".equals(failure.string("status"))) {
      return new Health(HealthStatus.DEGRADED, failure.string("message"));
    }
    long available = r.number(0, "status", "availableReplicas");
    if (r.has("spec", "replicas") && available < r.number(0, "spec", "replicas")) {
      return progressing(
          "Waiting for rollout to finish: %d out of %d new replicas are available..."
              .formatted(available, r.number(0, "spec", "replicas")));
    }
    return healthy("");
  }

  /** metadata.generation ≤ status.observedGeneration (both default to 0 when absent). */
  private static boolean observedLatestGeneration(KubeObject o) {
    return o.number(0, "metadata", "generation") <= o.number(0, "status", "observedGeneration");
  }

  static Health progressing(String message) {
    return new Health(HealthStatus.PROGRESSING, message);
  }

  static Health healthy(String message) {
    return new Health(HealthStatus.HEALTHY, message);
  }
}
