package dev.runnel.sandbox.controllers;

import dev.runnel.sandbox.nodes.SimulatedNodes;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The default scheduler, reduced to the filters users meet: node readiness, {@code unschedulable},
 * taints and tolerations, {@code nodeSelector}, pod count and CPU/memory requests against
 * allocatable. Among the nodes that fit it prefers the one with the fewest pods of the same
 * controller (the default topology spreading), then the least allocated. A pod that fits nowhere
 * stays Pending with {@code PodScheduled=False} and a FailedScheduling event whose message counts
 * the reasons like kube-scheduler's. Node affinity, pod (anti-)affinity, topology spread and
 * preemption are not simulated.
 */
final class Scheduler implements Controller {

  private static final String COMPONENT = "default-scheduler";
  private static final long[] NONE_USED = new long[3];

  @Override
  public void reconcile(Reconcile pass) {
    List<Pod> pending =
        pass.pods().stream()
            .filter(p -> p.getSpec().getNodeName() == null && Pods.isActive(p))
            .filter(
                p ->
                    p.getSpec().getSchedulerName() == null
                        || COMPONENT.equals(p.getSpec().getSchedulerName()))
            .sorted(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()))
            .toList();
    if (pending.isEmpty()) {
      // Summing every bound pod's requests costs a quantity parse per pod: at 150,000 pods it kept
      // a core busy on every idle pass, for nothing to place.
      return;
    }
    List<Node> nodes = pass.nodes();
    // Each node's allocatable, parsed once per pass rather than once per node per pending pod.
    Map<String, long[]> allocatable = new HashMap<>();
    for (Node node : nodes) {
      allocatable.put(node.getMetadata().getName(), allocatable(node));
    }
    Map<String, long[]> used = new HashMap<>();
    Map<String, Integer> siblings = new HashMap<>();
    for (Pod pod : pass.pods()) {
      if (pod.getSpec().getNodeName() != null && Pods.isActive(pod)) {
        add(used, pod.getSpec().getNodeName(), pod);
        siblings.merge(siblingKey(pod, pod.getSpec().getNodeName()), 1, Integer::sum);
      }
    }
    for (Pod pod : pending) {
      schedule(pass, pod, nodes, allocatable, used, siblings);
    }
  }

  private void schedule(
      Reconcile pass,
      Pod snapshot,
      List<Node> nodes,
      Map<String, long[]> allocatable,
      Map<String, long[]> used,
      Map<String, Integer> siblings) {
    // Work on a copy: the snapshot changes only to what the server returns.
    Pod pod = Serialization.clone(snapshot);
    long[] request = {Pods.cpuMillis(pod), Pods.memoryBytes(pod), 1};
    String owner = ownerKey(pod);
    Map<String, Integer> reasons = new TreeMap<>();
    Node best = null;
    double bestScore = Double.MAX_VALUE;
    for (Node node : nodes) {
      String name = node.getMetadata().getName();
      long[] nodeUsed = used.getOrDefault(name, NONE_USED);
      String reason = unfit(node, pod, allocatable.get(name), nodeUsed, request);
      if (reason != null) {
        reasons.merge(reason, 1, Integer::sum);
        continue;
      }
      double score =
          10.0 * siblings.getOrDefault(owner + "@" + name, 0)
              + allocatedShare(allocatable.get(name), nodeUsed, request);
      if (score < bestScore) {
        best = node;
        bestScore = score;
      }
    }
    String namespace = pod.getMetadata().getNamespace();
    if (best == null) {
      String message =
          nodes.isEmpty()
              ? "no nodes available to schedule pods"
              : "0/"
                  + nodes.size()
                  + " nodes are available: "
                  + reasons.entrySet().stream()
                      .map(e -> e.getValue() + " " + e.getKey())
                      .collect(Collectors.joining(", "))
                  + ".";
      boolean known =
          Pods.condition(pod, "PodScheduled")
              .map(c -> message.equals(c.getMessage()))
              .orElse(false);
      if (!known) {
        Pods.setCondition(pod, "PodScheduled", "False", "Unschedulable", message, pass.timestamp());
        pass.client().pods().inNamespace(namespace).resource(pod).updateStatus();
        pass.events().warning(pod, COMPONENT, "FailedScheduling", message);
      }
      return;
    }
    String nodeName = best.getMetadata().getName();
    pod.getSpec().setNodeName(nodeName);
    Pod bound = pass.client().pods().inNamespace(namespace).resource(pod).update();
    Pods.setCondition(bound, "PodScheduled", "True", null, null, pass.timestamp());
    pass.wrote(pass.client().pods().inNamespace(namespace).resource(bound).updateStatus());
    add(used, nodeName, pod);
    siblings.merge(siblingKey(pod, nodeName), 1, Integer::sum);
    pass.events()
        .normal(
            bound,
            COMPONENT,
            "Scheduled",
            "Successfully assigned "
                + namespace
                + "/"
                + pod.getMetadata().getName()
                + " to "
                + nodeName);
  }

  private static String unfit(Node node, Pod pod, long[] allocatable, long[] used, long[] request) {
    if (!SimulatedNodes.isReady(node)) {
      return "node(s) were not ready";
    }
    if (Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return "node(s) were unschedulable";
    }
    if (node.getSpec().getTaints() != null) {
      for (Taint taint : node.getSpec().getTaints()) {
        if (!"PreferNoSchedule".equals(taint.getEffect()) && !tolerates(pod, taint)) {
          return "node(s) had untolerated taint {"
              + taint.getKey()
              + ": "
              + (taint.getValue() == null ? "" : taint.getValue())
              + "}";
        }
      }
    }
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    if (selector != null && !selector.isEmpty()) {
      Map<String, String> labels = node.getMetadata().getLabels();
      for (Map.Entry<String, String> e : selector.entrySet()) {
        if (labels == null || !e.getValue().equals(labels.get(e.getKey()))) {
          return "node(s) didn't match Pod's node affinity/selector";
        }
      }
    }
    if (used[2] + request[2] > allocatable[2]) {
      return "Too many pods";
    }
    if (used[0] + request[0] > allocatable[0]) {
      return "Insufficient cpu";
    }
    if (used[1] + request[1] > allocatable[1]) {
      return "Insufficient memory";
    }
    return null;
  }

  static boolean tolerates(Pod pod, Taint taint) {
    List<Toleration> tolerations = pod.getSpec().getTolerations();
    if (tolerations == null) {
      return false;
    }
    for (Toleration t : tolerations) {
      boolean effect =
          t.getEffect() == null
              || t.getEffect().isEmpty()
              || t.getEffect().equals(taint.getEffect());
      boolean key;
      if ("Exists".equals(t.getOperator())) {
        key = t.getKey() == null || t.getKey().isEmpty() || t.getKey().equals(taint.getKey());
      } else {
        key =
            taint.getKey().equals(t.getKey())
                && java.util.Objects.equals(
                    t.getValue() == null ? "" : t.getValue(),
                    taint.getValue() == null ? "" : taint.getValue());
      }
      if (effect && key) {
        return true;
      }
    }
    return false;
  }

  private static double allocatedShare(long[] allocatable, long[] used, long[] request) {
    double cpu = allocatable[0];
    double memory = allocatable[1];
    double cpuShare = cpu == 0 ? 1 : (used[0] + request[0]) / cpu;
    double memShare = memory == 0 ? 1 : (used[1] + request[1]) / memory;
    // Pod count breaks ties between empty-request pods so that they spread like real ones do.
    return cpuShare + memShare + used[2] / 1_000_000.0;
  }

  /** A node's allocatable CPU (millicores), memory (bytes) and pod count. */
  private static long[] allocatable(Node node) {
    return new long[] {
      allocatable(node, "cpu").multiply(BigDecimal.valueOf(1000)).longValue(),
      allocatable(node, "memory").longValue(),
      allocatable(node, "pods").longValue()
    };
  }

  private static BigDecimal allocatable(Node node, String resource) {
    Map<String, Quantity> allocatable = node.getStatus().getAllocatable();
    Quantity q = allocatable == null ? null : allocatable.get(resource);
    return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
  }

  private static String ownerKey(Pod pod) {
    return Owners.controllerOf(pod).map(r -> r.getUid()).orElse("");
  }

  private static String siblingKey(Pod pod, String node) {
    return ownerKey(pod) + "@" + node;
  }

  private static void add(Map<String, long[]> used, String node, Pod pod) {
    long[] u = used.computeIfAbsent(node, n -> new long[3]);
    u[0] += Pods.cpuMillis(pod);
    u[1] += Pods.memoryBytes(pod);
    u[2] += 1;
  }
}
