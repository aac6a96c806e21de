package dev.runnel.sandbox.controllers;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading and writing pod status the way the kubelet and the controllers agree on. */
final class Pods {

  private Pods() {}

  static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null
        ? "Pending"
        : pod.getStatus().getPhase();
  }

  static boolean isTerminal(Pod pod) {
    String phase = phase(pod);
    return phase.equals("Succeeded") || phase.equals("Failed");
  }

  static boolean isActive(Pod pod) {
    return !isTerminal(pod) && pod.getMetadata().getDeletionTimestamp() == null;
  }

  static boolean isReady(Pod pod) {
    return condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  static Optional<PodCondition> condition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  /** Sets a condition, keeping its transition time when the status does not change. */
  static void setCondition(
      Pod pod, String type, String status, String reason, String message, String now) {
    if (pod.getStatus() == null) {
      pod.setStatus(new PodStatus());
    }
    List<PodCondition> conditions =
        pod.getStatus().getConditions() == null
            ? new ArrayList<>()
            : new ArrayList<>(pod.getStatus().getConditions());
    Optional<PodCondition> existing =
        conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    String transition =
        existing
            .filter(c -> status.equals(c.getStatus()))
            .map(PodCondition::getLastTransitionTime)
            .orElse(now);
    conditions.removeIf(c -> type.equals(c.getType()));
    conditions.add(
        new PodConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withLastTransitionTime(transition)
            .build());
    pod.getStatus().setConditions(conditions);
  }

  static long cpuMillis(Pod pod) {
    long total = 0;
    for (Container c : pod.getSpec().getContainers()) {
      total += request(c, "cpu").multiply(BigDecimal.valueOf(1000)).longValue();
    }
    return total;
  }

  static long memoryBytes(Pod pod) {
    long total = 0;
    for (Container c : pod.getSpec().getContainers()) {
      total += request(c, "memory").longValue();
    }
    return total;
  }

  private static BigDecimal request(Container c, String resource) {
    if (c.getResources() == null || c.getResources().getRequests() == null) {
      return BigDecimal.ZERO;
    }
    Quantity q = c.getResources().getRequests().get(resource);
    return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
  }
}
