package dev.runnel.embedded;

/**
 * Entry point of the broker child process: runs Kafka, and exits when the parent JVM is gone so
 * that a parent killed without its shutdown hooks leaves no broker behind.
 */
public final class KafkaServerMain {
  private KafkaServerMain() {}

  public static void main(String[] args) {
    ParentWatch.exitWithParent();
    kafka.Kafka.main(args);
  }
}
