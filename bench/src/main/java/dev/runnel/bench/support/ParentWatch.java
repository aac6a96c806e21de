package dev.runnel.bench.support;

/**
 * Ends a child JVM when the benchmark driver that started it is gone, so that a driver killed
 * without running its shutdown hooks leaves no relay or sink behind.
 */
public final class ParentWatch {
  static final String PROPERTY = "runnel.bench.parent.pid";

  private ParentWatch() {}

  public static void install() {
    String parent = System.getProperty(PROPERTY);
    if (parent == null) {
      return;
    }
    ProcessHandle.of(Long.parseLong(parent))
        .ifPresentOrElse(
            p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
            () -> Runtime.getRuntime().halt(3));
  }
}
