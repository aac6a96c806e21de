package dev.runnel.deploy.team.domain;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What a set of Kubernetes objects asks of a namespace's ResourceQuota: CPU and memory requests of
 * their pods (replicas times containers) and storage requests of their claims, counted as the quota
 * counts them. A container without a request counts the namespace's LimitRange default, as
 * Kubernetes fills it in at admission. DaemonSets count one pod per node, Jobs their parallelism.
 * Hooks are left out: they run briefly, before or after the objects.
 *
 * @param cpu cores
 * @param memory bytes
 * @param storage bytes
 */
public record ResourceUsage(BigDecimal cpu, BigDecimal memory, BigDecimal storage) {
  public static final ResourceUsage ZERO =
      new ResourceUsage(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

  public ResourceUsage plus(ResourceUsage o) {
    return new ResourceUsage(cpu.add(o.cpu), memory.add(o.memory), storage.add(o.storage));
  }

  /**
   * @param bodies the objects as JSON trees (with {@code kind})
   * @param defaultCpu request of a container that names none, in cores
   * @param defaultMemory request of a container that names none, in bytes
   * @param nodes schedulable nodes, for DaemonSets
   */
  public static ResourceUsage of(
      List<Map<String, Object>> bodies,
      BigDecimal defaultCpu,
      BigDecimal defaultMemory,
      int nodes) {
    ResourceUsage total = ZERO;
    for (Map<String, Object> body : bodies) {
      total = total.plus(one(body, defaultCpu, defaultMemory, nodes));
    }
    return total;
  }

  private static ResourceUsage one(
      Map<String, Object> body, BigDecimal defaultCpu, BigDecimal defaultMemory, int nodes) {
    Map<?, ?> spec = map(body.get("spec"));
    if (spec == null) {
      return ZERO;
    }
    String kind = String.valueOf(body.get("kind"));
    long copies;
    Map<?, ?> podSpec;
    switch (kind) {
      case "Deployment", "StatefulSet", "ReplicaSet" -> {
        copies = spec.get("replicas") instanceof Number n ? n.longValue() : 1;
        podSpec = map(at(spec, "template", "spec"));
      }
      case "DaemonSet" -> {
        copies = nodes;
        podSpec = map(at(spec, "template", "spec"));
      }
      case "Job" -> {
        copies = spec.get("parallelism") instanceof Number n ? n.longValue() : 1;
        podSpec = map(at(spec, "template", "spec"));
      }
      case "Pod" -> {
        copies = 1;
        podSpec = spec;
      }
      case "PersistentVolumeClaim" -> {
        return new ResourceUsage(
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            quantity(at(spec, "resources", "requests", "storage")));
      }
      default -> {
        return ZERO;
      }
    }
    BigDecimal cpu = BigDecimal.ZERO;
    BigDecimal memory = BigDecimal.ZERO;
    if (podSpec != null && podSpec.get("containers") instanceof List<?> containers) {
      for (Object c : containers) {
        Map<?, ?> requests = map(at(map(c), "resources", "requests"));
        Object rawCpu = requests == null ? null : requests.get("cpu");
        Object rawMemory = requests == null ? null : requests.get("memory");
        cpu = cpu.add(rawCpu == null ? defaultCpu : quantity(rawCpu));
        memory = memory.add(rawMemory == null ? defaultMemory : quantity(rawMemory));
      }
    }
    BigDecimal storage = BigDecimal.ZERO;
    if ("StatefulSet".equals(kind) && spec.get("volumeClaimTemplates") instanceof List<?> claims) {
      for (Object claim : claims) {
        storage =
            storage.add(
                quantity(
                    at(
                        map(map(claim) == null ? null : map(claim).get("spec")),
                        "resources",
                        "requests",
                        "storage")));
      }
    }
    BigDecimal n = BigDecimal.valueOf(copies);
    return new ResourceUsage(cpu.multiply(n), memory.multiply(n), storage.multiply(n));
  }

  private static BigDecimal quantity(Object raw) {
    if (raw == null) {
      return BigDecimal.ZERO;
    }
    return Quantities.parse(String.valueOf(raw));
  }

  private static Object at(Map<?, ?> start, String... path) {
    Object here = start;
    for (String step : path) {
      if (!(here instanceof Map<?, ?> m)) {
        return null;
      }
      here = m.get(step);
    }
    return here;
  }

  private static Map<?, ?> map(Object o) {
    return o instanceof Map<?, ?> m ? m : null;
  }
}
