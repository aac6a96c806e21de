package dev.runnel.testkit;

/**
 * Entry point of the broker child process: runs Kafka, and exits when the parent JVM is gone so
 * that a test JVM killed without its shutdown hooks leaves no broker behind.
 */
public final class KafkaBrokerMain {
  private KafkaBrokerMain() {}

  public static void main(String[] args) {
    String parent = System.getProperty("runnel.parent.pid");
    if (parent != null) {
      ProcessHandle.of(Long.parseLong(parent))
          .ifPresentOrElse(
              p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
              () -> Runtime.getRuntime().halt(3));
    }
    kafka.Kafka.main(args);
  }
}
