package dev.runnel.deploy.instance.adapter.out.kube;

import dev.runnel.deploy.instance.domain.ManifestObject;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** CPU and memory the rendered workloads request: per pod, and in total (replicas times pods). */
final class Requests {
  private Requests() {}

  /**
   * What each pod of a workload requests (its containers together), how many such pods there are,
   * and whether one runs on every node (a DaemonSet's).
   */
  record PodRequest(
      String owner, BigDecimal cpu, BigDecimal memory, long copies, boolean everyNode) {}

  /** What the pods request in all: {cpu cores, memory bytes}. */
  static BigDecimal[] total(List<PodRequest> pods) {
    BigDecimal cpu = BigDecimal.ZERO;
    BigDecimal memory = BigDecimal.ZERO;
    for (PodRequest pod : pods) {
      BigDecimal n = BigDecimal.valueOf(pod.copies());
      cpu = cpu.add(pod.cpu().multiply(n));
      memory = memory.add(pod.memory().multiply(n));
    }
    return new BigDecimal[] {cpu, memory};
  }

  /** The pods of the rendered workloads that request anything. */
  static List<PodRequest> pods(List<ManifestObject> objects, int schedulableNodes) {
    List<PodRequest> pods = new ArrayList<>();
    for (ManifestObject o : objects) {
      Map<?, ?> spec = map(o.body().get("spec"));
      if (spec == null) {
        continue;
      }
      Map<?, ?> podSpec;
      long copies;
      switch (o.kind()) {
        case "Deployment", "StatefulSet", "ReplicaSet" -> {
          podSpec =
              map(map(spec.get("template")) == null ? null : map(spec.get("template")).get("spec"));
          copies = spec.get("replicas") instanceof Number n ? n.longValue() : 1;
        }
        case "DaemonSet" -> {
          podSpec =
              map(map(spec.get("template")) == null ? null : map(spec.get("template")).get("spec"));
          copies = schedulableNodes;
        }
        case "Job" -> {
          podSpec =
              map(map(spec.get("template")) == null ? null : map(spec.get("template")).get("spec"));
          copies = spec.get("parallelism") instanceof Number n ? n.longValue() : 1;
        }
        case "Pod" -> {
          podSpec = spec;
          copies = 1;
        }
        default -> {
          continue;
        }
      }
      if (podSpec == null || !(podSpec.get("containers") instanceof List<?> containers)) {
        continue;
      }
      BigDecimal cpu = BigDecimal.ZERO;
      BigDecimal memory = BigDecimal.ZERO;
      for (Object c : containers) {
        Map<?, ?> resources = map(map(c) == null ? null : map(c).get("resources"));
        Map<?, ?> requests = map(resources == null ? null : resources.get("requests"));
        if (requests == null) {
          continue;
        }
        cpu = cpu.add(quantity(requests.get("cpu")));
        memory = memory.add(quantity(requests.get("memory")));
      }
      if (copies > 0 && (cpu.signum() > 0 || memory.signum() > 0)) {
        pods.add(
            new PodRequest(
                o.kind() + "/" + o.name(), cpu, memory, copies, o.kind().equals("DaemonSet")));
      }
    }
    return pods;
  }

  private static BigDecimal quantity(Object raw) {
    if (raw == null) {
      return BigDecimal.ZERO;
    }
    try {
      return new Quantity(String.valueOf(raw)).getNumericalAmount();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the chart requests an unreadable quantity: " + raw, e);
    }
  }

  private static Map<?, ?> map(Object o) {
    return o instanceof Map<?, ?> m ? m : null;
  }
}
