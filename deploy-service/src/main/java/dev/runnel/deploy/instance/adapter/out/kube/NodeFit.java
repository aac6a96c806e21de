package dev.runnel.deploy.instance.adapter.out.kube;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether each pod an install would create has a node with room for it, as the scheduler will need:
 * free capacity summed over the nodes can hide that no single node holds a pod. Pods are placed
 * biggest first, each on the node with the most free CPU that holds it (the scheduler's
 * least-allocated preference); the pods of installs still in progress are placed first. A
 * DaemonSet's pod needs room on every node.
 */
final class NodeFit {
  /** node → {free cpu cores, free memory bytes}, in the nodes' order. */
  private final Map<String, BigDecimal[]> free = new LinkedHashMap<>();

  void node(String name, BigDecimal cpu, BigDecimal memory) {
    free.put(name, new BigDecimal[] {cpu, memory});
  }

  /** A pod bound to {@code node} takes its requests there. */
  void bound(String node, BigDecimal cpu, BigDecimal memory) {
    BigDecimal[] f = free.get(node);
    if (f != null) {
      f[0] = f[0].subtract(cpu);
      f[1] = f[1].subtract(memory);
    }
  }

  /**
   * The pods of installs in progress, placed where they would go. One that fits nowhere is left out
   * here: the check of the summed capacity already counted it.
   */
  void hold(List<Requests.PodRequest> pods) {
    place(pods);
  }

  /** Places the pods; the first one that has no node with room, said for a person, or null. */
  String place(List<Requests.PodRequest> pods) {
    List<Requests.PodRequest> biggestFirst = new ArrayList<>(pods);
    biggestFirst.sort(
        Comparator.comparing(Requests.PodRequest::cpu)
            .thenComparing(Requests.PodRequest::memory)
            .reversed());
    String unplaced = null;
    for (Requests.PodRequest pod : biggestFirst) {
      String problem = pod.everyNode() ? onEveryNode(pod) : onSomeNode(pod);
      if (unplaced == null) {
        unplaced = problem;
      }
    }
    return unplaced;
  }

  private String onSomeNode(Requests.PodRequest pod) {
    for (long i = 0; i < pod.copies(); i++) {
      BigDecimal[] best = null;
      for (BigDecimal[] f : free.values()) {
        if (fits(f, pod) && (best == null || f[0].compareTo(best[0]) > 0)) {
          best = f;
        }
      }
      if (best == null) {
        return "a pod of "
            + pod.owner()
            + " requests "
            + amounts(pod.cpu(), pod.memory())
            + ", and no schedulable node has that much free ("
            + mostFree()
            + ")";
      }
      take(best, pod);
    }
    return null;
  }

  private String onEveryNode(Requests.PodRequest pod) {
    String problem = null;
    for (Map.Entry<String, BigDecimal[]> node : free.entrySet()) {
      if (fits(node.getValue(), pod)) {
        take(node.getValue(), pod);
      } else if (problem == null) {
        problem =
            "the pod of "
                + pod.owner()
                + ", which runs on every node, requests "
                + amounts(pod.cpu(), pod.memory())
                + ", and node "
                + node.getKey()
                + " has "
                + amounts(node.getValue()[0], node.getValue()[1])
                + " free";
      }
    }
    return problem;
  }

  private String mostFree() {
    Map.Entry<String, BigDecimal[]> most = null;
    for (Map.Entry<String, BigDecimal[]> node : free.entrySet()) {
      if (most == null || node.getValue()[0].compareTo(most.getValue()[0]) > 0) {
        most = node;
      }
    }
    return most == null
        ? "there is none"
        : "the most CPU free is "
            + amounts(most.getValue()[0], most.getValue()[1])
            + " on "
            + most.getKey();
  }

  private static boolean fits(BigDecimal[] free, Requests.PodRequest pod) {
    return pod.cpu().compareTo(free[0]) <= 0 && pod.memory().compareTo(free[1]) <= 0;
  }

  private static void take(BigDecimal[] free, Requests.PodRequest pod) {
    free[0] = free[0].subtract(pod.cpu());
    free[1] = free[1].subtract(pod.memory());
  }

  private static String amounts(BigDecimal cpu, BigDecimal memory) {
    return cpu.max(BigDecimal.ZERO)
            .setScale(2, RoundingMode.HALF_UP)
            .stripTrailingZeros()
            .toPlainString()
        + " CPU and "
        + memory
            .max(BigDecimal.ZERO)
            .divide(BigDecimal.valueOf(1024L * 1024), 0, RoundingMode.HALF_UP)
            .toPlainString()
        + " MiB";
  }
}
