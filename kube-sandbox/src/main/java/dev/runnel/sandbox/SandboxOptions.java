package dev.runnel.sandbox;

import dev.runnel.sandbox.nodes.NodeCapacity;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link KubeSandbox} is shaped.
 *
 * @param nodes number of simulated nodes created at start (K3s names: {@code sandbox-node-0..})
 * @param nodeCapacity capacity of every node created at start
 * @param podReadyDelay how long a bound pod stays {@code Pending/ContainerCreating} before it runs;
 *     zero makes pods run on the controller pass after they are scheduled
 * @param kubernetesVersion the {@code gitVersion} the sandbox reports, K3s style
 * @param host address to bind, loopback by default
 * @param port port to bind, 0 picks a free one
 * @param eventTtl how long a core/v1 Event lives after its last update (simulated time); the API
 *     server's default is one hour ({@code --event-ttl})
 */
public record SandboxOptions(
    int nodes,
    NodeCapacity nodeCapacity,
    Duration podReadyDelay,
    String kubernetesVersion,
    String host,
    int port,
    Duration eventTtl) {

  /** Kubernetes release the sandbox pretends to be: the K3s build current for 1.31. */
  public static final String DEFAULT_VERSION = "v1.31.4+k3s1";

  public SandboxOptions {
    if (nodes < 0) {
      throw new IllegalArgumentException("nodes must be >= 0");
    }
    Objects.requireNonNull(nodeCapacity, "nodeCapacity");
    Objects.requireNonNull(podReadyDelay, "podReadyDelay");
    if (podReadyDelay.isNegative()) {
      throw new IllegalArgumentException("podReadyDelay must not be negative");
    }
    if (!kubernetesVersion.matches("v\\d+\\.\\d+\\.\\d+.*")) {
      throw new IllegalArgumentException("kubernetesVersion must look like v1.31.4+k3s1");
    }
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(eventTtl, "eventTtl");
    if (eventTtl.isNegative() || eventTtl.isZero()) {
      throw new IllegalArgumentException("eventTtl must be positive");
    }
  }

  /** The API server's default Event time to live. */
  public static final Duration DEFAULT_EVENT_TTL = Duration.ofHours(1);

  /** The shape before Events expired: the default time to live. */
  public SandboxOptions(
      int nodes,
      NodeCapacity nodeCapacity,
      Duration podReadyDelay,
      String kubernetesVersion,
      String host,
      int port) {
    this(nodes, nodeCapacity, podReadyDelay, kubernetesVersion, host, port, DEFAULT_EVENT_TTL);
  }

  /** Three 4-CPU, 8 GiB, 110-pod nodes; pods ready after one second; v1.31.4+k3s1. */
  public static SandboxOptions defaults() {
    return new SandboxOptions(
        3, NodeCapacity.DEFAULT, Duration.ofSeconds(1), DEFAULT_VERSION, "127.0.0.1", 0);
  }

  public SandboxOptions withNodes(int count) {
    return new SandboxOptions(
        count, nodeCapacity, podReadyDelay, kubernetesVersion, host, port, eventTtl);
  }

  public SandboxOptions withNodeCapacity(NodeCapacity capacity) {
    return new SandboxOptions(
        nodes, capacity, podReadyDelay, kubernetesVersion, host, port, eventTtl);
  }

  public SandboxOptions withPodReadyDelay(Duration delay) {
    return new SandboxOptions(nodes, nodeCapacity, delay, kubernetesVersion, host, port, eventTtl);
  }

  public SandboxOptions withKubernetesVersion(String version) {
    return new SandboxOptions(nodes, nodeCapacity, podReadyDelay, version, host, port, eventTtl);
  }

  public SandboxOptions withPort(int newPort) {
    return new SandboxOptions(
        nodes, nodeCapacity, podReadyDelay, kubernetesVersion, host, newPort, eventTtl);
  }

  public SandboxOptions withHost(String newHost) {
    return new SandboxOptions(
        nodes, nodeCapacity, podReadyDelay, kubernetesVersion, newHost, port, eventTtl);
  }

  public SandboxOptions withEventTtl(Duration ttl) {
    return new SandboxOptions(
        nodes, nodeCapacity, podReadyDelay, kubernetesVersion, host, port, ttl);
  }
}
