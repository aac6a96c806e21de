package dev.runnel.embedded;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops a process and everything it started. Launch scripts such as Keycloak's {@code kc.sh} run
 * the JVM as a child: stopping only the script would leave the server running.
 */
final class ProcessTrees {
  private ProcessTrees() {}

  /** SIGTERM to the tree, children first; SIGKILL to what is still alive after the grace time. */
  static void stop(Process process, Duration grace) {
    List<ProcessHandle> tree = process.descendants().toList();
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle p : tree) {
      awaitExit(p, deadline);
    }
    try {
      if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static void awaitExit(ProcessHandle p, long deadline) {
    try {
      p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      p.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }
}
