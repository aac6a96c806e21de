package dev.runnel.sandbox.nodes;

import dev.runnel.sandbox.SimulatedClock;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Simulated nodes: Node objects with capacity, labels and conditions as a K3s kubelet would
 * register them, and the operations a test needs (add, cordon, make NotReady). Nothing runs on
 * them; the sandbox's kubelet stage moves their pods.
 */
public final class SimulatedNodes {

  /** Label on every simulated node, so that nothing mistakes the sandbox for a real cluster. */
  public static final String SIMULATED_LABEL = "runnel.dev/simulated";

  public static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";
  public static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";

  private final KubernetesClient client;
  private final SimulatedClock clock;
  private final String kubeletVersion;
  private int created;

  public SimulatedNodes(KubernetesClient client, SimulatedClock clock, String kubeletVersion) {
    this.client = client;
    this.clock = clock;
    this.kubeletVersion = kubeletVersion;
  }

  /** Registers a node named {@code name}; the first node registered is the K3s server. */
  public synchronized Node add(String name, NodeCapacity capacity, Taint... taints) {
    int index = created++;
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("beta.kubernetes.io/os", "linux");
    labels.put("beta.kubernetes.io/arch", "amd64");
    labels.put("node.kubernetes.io/instance-type", "k3s");
    labels.put(SIMULATED_LABEL, "true");
    if (index == 0) {
      labels.put("node-role.kubernetes.io/control-plane", "true");
      labels.put("node-role.kubernetes.io/master", "true");
    }
    Map<String, Quantity> resources = new LinkedHashMap<>();
    resources.put("cpu", new Quantity(capacity.cpu()));
    resources.put("memory", new Quantity(capacity.memory()));
    resources.put("pods", new Quantity(String.valueOf(capacity.pods())));
    resources.put("ephemeral-storage", new Quantity("100Gi"));
    String now = clock.timestamp();
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .addToAnnotations("runnel.dev/simulated", "true")
            .endMetadata()
            .withNewSpec()
            .withPodCIDR("10.42." + (index % 256) + ".0/24")
            .withPodCIDRs("10.42." + (index % 256) + ".0/24")
            .withProviderID("k3s://" + name)
            .withTaints(List.of(taints))
            .endSpec()
            .withNewStatus()
            .withCapacity(resources)
            .withAllocatable(resources)
            .withConditions(
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "", now),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "", now),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "", now))
            .addNewAddress()
            .withType("InternalIP")
            .withAddress(internalIp(index))
            .endAddress()
            .addNewAddress()
            .withType("Hostname")
            .withAddress(name)
            .endAddress()
            .withNewNodeInfo()
            .withArchitecture("amd64")
            .withOperatingSystem("linux")
            .withOsImage("Runnel kube-sandbox (simulated node)")
            .withKernelVersion("simulated")
            .withKubeletVersion(kubeletVersion)
            .withKubeProxyVersion(kubeletVersion)
            .withContainerRuntimeVersion("containerd://simulated")
            .withMachineID(UUID.nameUUIDFromBytes(name.getBytes()).toString().replace("-", ""))
            .withSystemUUID(UUID.nameUUIDFromBytes(name.getBytes()).toString())
            .withBootID(UUID.randomUUID().toString())
            .endNodeInfo()
            .withNewDaemonEndpoints()
            .withNewKubeletEndpoint()
            .withPort(10250)
            .endKubeletEndpoint()
            .endDaemonEndpoints()
            .endStatus()
            .build();
    return client.nodes().resource(node).create();
  }

  /** {@code kubectl cordon}: no new pods; running pods stay. */
  public Node cordon(String name) {
    return client
        .nodes()
        .withName(name)
        .edit(
            n -> {
              n.getSpec().setUnschedulable(true);
              addTaint(n, UNSCHEDULABLE_TAINT, "NoSchedule");
              return n;
            });
  }

  public Node uncordon(String name) {
    return client
        .nodes()
        .withName(name)
        .edit(
            n -> {
              n.getSpec().setUnschedulable(null);
              removeTaint(n, UNSCHEDULABLE_TAINT);
              return n;
            });
  }

  /**
   * The kubelet stops reporting: Ready becomes Unknown and the node lifecycle controller's
   * unreachable taints are added, so nothing new is scheduled there and its pods turn unready.
   */
  public Node markNotReady(String name) {
    Node node =
        client
            .nodes()
            .withName(name)
            .edit(
                n -> {
                  addTaint(n, UNREACHABLE_TAINT, "NoSchedule");
                  addTaint(n, UNREACHABLE_TAINT, "NoExecute");
                  return n;
                });
    setReady(node, "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.");
    return client.nodes().resource(node).updateStatus();
  }

  public Node markReady(String name) {
    Node node =
        client
            .nodes()
            .withName(name)
            .edit(
                n -> {
                  removeTaint(n, UNREACHABLE_TAINT);
                  return n;
                });
    setReady(node, "True", "KubeletReady", "kubelet is posting ready status");
    return client.nodes().resource(node).updateStatus();
  }

  public static boolean isReady(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return false;
    }
    return node.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public static String internalIp(Node node) {
    if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return null;
    }
    return node.getStatus().getAddresses().stream()
        .filter(a -> "InternalIP".equals(a.getType()))
        .map(a -> a.getAddress())
        .findFirst()
        .orElse(null);
  }

  static String internalIp(int index) {
    int host = index + 10;
    return "10.0." + (host / 250) + "." + (host % 250 + 1);
  }

  private void setReady(Node node, String status, String reason, String message) {
    List<NodeCondition> conditions = new ArrayList<>(node.getStatus().getConditions());
    conditions.removeIf(c -> "Ready".equals(c.getType()));
    conditions.add(0, condition("Ready", status, reason, message, clock.timestamp()));
    node.getStatus().setConditions(conditions);
  }

  private static void addTaint(Node node, String key, String effect) {
    List<Taint> taints =
        node.getSpec().getTaints() == null
            ? new ArrayList<>()
            : new ArrayList<>(node.getSpec().getTaints());
    if (taints.stream().noneMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()))) {
      taints.add(new TaintBuilder().withKey(key).withEffect(effect).build());
    }
    node.getSpec().setTaints(taints);
  }

  private static void removeTaint(Node node, String key) {
    if (node.getSpec().getTaints() != null) {
      List<Taint> taints = new ArrayList<>(node.getSpec().getTaints());
      taints.removeIf(t -> key.equals(t.getKey()));
      node.getSpec().setTaints(taints);
    }
  }

  private static NodeCondition condition(
      String type, String status, String reason, String message, String now) {
    return new NodeConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastHeartbeatTime(now)
        .withLastTransitionTime(now)
        .build();
  }
}
