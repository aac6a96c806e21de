package dev.runnel.deploy.instance.adapter.out.kube;

import dev.runnel.deploy.instance.domain.ManifestObject;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** CPU and memory the rendered workloads request in total: replicas times their containers. */
final class Requests {
  private Requests() {}

  /** {cpu cores, memory bytes}. */
  static BigDecimal[] of(List<ManifestObject> objects, int schedulableNodes) {
    BigDecimal cpu = BigDecimal.ZERO;
    BigDecimal memory = BigDecimal.ZERO;
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
      for (Object c : containers) {
        Map<?, ?> resources = map(map(c) == null ? null : map(c).get("resources"));
        Map<?, ?> requests = map(resources == null ? null : resources.get("requests"));
        if (requests == null) {
          continue;
        }
        BigDecimal n = BigDecimal.valueOf(copies);
        cpu = cpu.add(quantity(requests.get("cpu")).multiply(n));
        memory = memory.add(quantity(requests.get("memory")).multiply(n));
      }
    }
    return new BigDecimal[] {cpu, memory};
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
