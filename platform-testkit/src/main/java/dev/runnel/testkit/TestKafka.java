package dev.runnel.testkit;

/** The Kafka broker of this test JVM, started on first use and shared by every test class. */
public final class TestKafka {
  private static volatile KafkaBroker broker;

  private TestKafka() {}

  public static KafkaBroker get() {
    KafkaBroker local = broker;
    if (local == null) {
      synchronized (TestKafka.class) {
        local = broker;
        if (local == null) {
          local = KafkaBroker.startNew();
          broker = local;
        }
      }
    }
    return local;
  }
}
