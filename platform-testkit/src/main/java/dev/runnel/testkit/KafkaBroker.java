package dev.runnel.testkit;

import dev.runnel.embedded.KafkaServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A throw-away KRaft broker for tests: a {@link KafkaServer} in a temporary directory on free
 * loopback ports, stopped when the JVM exits. Tests stop, kill and restart it to prove that nothing
 * is lost.
 */
public final class KafkaBroker {
  private final KafkaServer server;

  private KafkaBroker(KafkaServer server) {
    this.server = server;
  }

  /** Formats a new broker in a temporary directory and starts it. */
  public static KafkaBroker startNew() {
    try {
      Path dir = Files.createTempDirectory("runnel-kafka-");
      KafkaServer server = KafkaServer.in(dir, 0, 0);
      server.start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.stop();
                    TempDirs.delete(dir);
                  },
                  "kafka-broker-stop"));
      return new KafkaBroker(server);
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the Kafka broker", e);
    }
  }

  public String bootstrapServers() {
    return server.bootstrapServers();
  }

  public boolean isRunning() {
    return server.isRunning();
  }

  /** Starts the broker again on the same ports and data, and waits until it answers. */
  public void start() {
    server.start();
  }

  /** A clean shutdown (SIGTERM). */
  public void stop() {
    server.stop();
  }

  /** A crash (SIGKILL). */
  public void kill() {
    server.kill();
  }
}
