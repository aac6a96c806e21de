package dev.runnel.embedded;

/** Lets a child process end itself when the JVM that started it is gone. */
public final class ParentWatch {
  private ParentWatch() {}

  /** Halts this JVM when the process named by {@code -Drunnel.parent.pid} exits. */
  public static void exitWithParent() {
    String parent = System.getProperty("runnel.parent.pid");
    if (parent == null) {
      return;
    }
    ProcessHandle.of(Long.parseLong(parent))
        .ifPresentOrElse(
            p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
            () -> Runtime.getRuntime().halt(3));
  }
}
