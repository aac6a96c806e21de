package dev.runnel.health;

import java.util.ArrayList;
import java.util.List;

/** Pods, with gitops-engine's rules: container errors, phase, readiness and restart policy. */
final class PodChecks {
  private PodChecks() {}

  static Health pod(KubeObject pod) {
    String restartPolicy = pod.string("spec", "restartPolicy");
    String podMessage = pod.string("status", "message");
    // Only long-running pods are judged by waiting containers: a hook pod (restart Never or
    // OnFailure) pulling a missing image would otherwise fail a sync that may still recover.
    if ("Always".equals(restartPolicy)) {
      List<String> errors = new ArrayList<>();
      boolean failing = false;
      for (KubeObject container : pod.objects("status", "containerStatuses")) {
        String reason = container.string("state", "waiting", "reason");
        if (reason.startsWith("Err") || reason.endsWith("Error") || reason.endsWith("BackOff")) {
          failing = true;
          String message = container.string("state", "waiting", "message");
          errors.add(message.isEmpty() ? container.string("name") + ": " + reason : message);
        }
      }
      if (failing) {
        return new Health(HealthStatus.DEGRADED, String.join(", ", errors));
      }
    }
    switch (pod.string("status", "phase")) {
      case "Pending":
        return new Health(HealthStatus.PROGRESSING, podMessage);
      case "Succeeded":
        return new Health(HealthStatus.HEALTHY, podMessage);
      case "Failed":
        return new Health(HealthStatus.DEGRADED, failureMessage(pod));
      case "Running":
        return running(pod, restartPolicy, podMessage);
      default:
        return new Health(HealthStatus.UNKNOWN, podMessage);
    }
  }

  private static Health running(KubeObject pod, String restartPolicy, String podMessage) {
    if ("Always".equals(restartPolicy)) {
      KubeObject ready = pod.condition("Ready");
      if (ready != null && "True".equals(ready.string("status"))) {
        return new Health(HealthStatus.HEALTHY, podMessage);
      }
      for (KubeObject container : pod.objects("status", "containerStatuses")) {
        if (container.has("lastState", "terminated")) {
          return new Health(HealthStatus.DEGRADED, podMessage);
        }
      }
      return new Health(HealthStatus.PROGRESSING, podMessage);
    }
    if ("OnFailure".equals(restartPolicy) || "Never".equals(restartPolicy)) {
      // Pods that run to completion (typically hooks) are not healthy until they succeed.
      return new Health(HealthStatus.PROGRESSING, podMessage);
    }
    return new Health(HealthStatus.UNKNOWN, podMessage);
  }

  private static String failureMessage(KubeObject pod) {
    String podMessage = pod.string("status", "message");
    if (!podMessage.isEmpty()) {
      return podMessage;
    }
    List<KubeObject> containers = new ArrayList<>(pod.objects("status", "initContainerStatuses"));
    containers.addAll(pod.objects("status", "containerStatuses"));
    for (KubeObject container : containers) {
      if (!container.has("state", "terminated")) {
        continue;
      }
      String message = container.string("state", "terminated", "message");
      if (!message.isEmpty()) {
        return message;
      }
      String reason = container.string("state", "terminated", "reason");
      if ("OOMKilled".equals(reason)) {
        return reason;
      }
      long exitCode = container.number(0, "state", "terminated", "exitCode");
      if (exitCode != 0) {
        return "container \"%s\" failed with exit code %d"
            .formatted(container.string("name"), exitCode);
      }
    }
    return "";
  }
}
