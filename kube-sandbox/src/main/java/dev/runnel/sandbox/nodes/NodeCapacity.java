package dev.runnel.sandbox.nodes;

/**
 * What one simulated node offers the scheduler.
 *
 * @param cpu CPU quantity, for example {@code "4"} or {@code "3500m"}
 * @param memory memory quantity, for example {@code "8Gi"}
 * @param pods maximum number of pods on the node
 */
public record NodeCapacity(String cpu, String memory, int pods) {

  /** A typical small K3s agent. */
  public static final NodeCapacity DEFAULT = new NodeCapacity("4", "8Gi", 110);

  public NodeCapacity {
    if (pods <= 0) {
      throw new IllegalArgumentException("pods must be > 0");
    }
  }
}
