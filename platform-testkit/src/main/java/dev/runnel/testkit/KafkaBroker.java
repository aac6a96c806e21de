package dev.runnel.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka broker in a child process of this JVM.
 *
 * <p>A process rather than an in-JVM broker so that a test can stop it, kill it and start it again
 * on the same ports and data, as an operator would; that is what outbox and consumer tests need to
 * prove that nothing is lost. The child exits when this JVM exits.
 */
public final class KafkaBroker {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final int brokerPort;
  private final int controllerPort;
  private Process process;

  private KafkaBroker(Path dir, int brokerPort, int controllerPort) {
    this.dir = dir;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
  }

  /** Formats a new broker in a temporary directory on free loopback ports, and starts it. */
  public static KafkaBroker startNew() {
    try {
      Path dir = Files.createTempDirectory("runnel-kafka-");
      KafkaBroker broker = new KafkaBroker(dir, freePort(), freePort());
      broker.format();
      broker.start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kafka-broker-stop"));
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the Kafka broker", e);
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Starts the broker (again) on the same ports and data, and waits until it answers. */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    process = launch("dev.runnel.testkit.KafkaBrokerMain", dir.resolve("server.properties"));
    awaitReady();
  }

  /** A clean shutdown (SIGTERM), waiting for the process to end. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    awaitExit(Duration.ofSeconds(30));
  }

  /** A crash (SIGKILL): the broker gets no chance to flush or deregister. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(10));
  }

  private void awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void format() throws IOException {
    Files.writeString(dir.resolve("server.properties"), serverProperties());
    Process formatter =
        launch(
            "kafka.tools.StorageTool",
            null,
            "format",
            "-t",
            Uuid.randomUuid().toString(),
            "-c",
            dir.resolve("server.properties").toString());
    try {
      if (!formatter.waitFor(60, TimeUnit.SECONDS) || formatter.exitValue() != 0) {
        throw new IllegalStateException(
            "formatting Kafka storage failed; see " + dir.resolve("broker.log"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while formatting Kafka storage", e);
    }
  }

  private String serverProperties() {
    Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.resolve("data").toString());
    p.put("num.partitions", "3");
    p.put("auto.create.topics.enable", "true");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    StringBuilder out = new StringBuilder();
    p.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
    return out.toString();
  }

  private Process launch(String mainClass, Path config, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Djava.awt.headless=true");
    command.add("-Drunnel.parent.pid=" + ProcessHandle.current().pid());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    if (config != null) {
      command.add(config.toString());
    }
    command.addAll(List.of(args));
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not launch " + mainClass, e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    try (Admin admin = Admin.create(config)) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the Kafka broker exited during start; see " + dir.resolve("broker.log"));
        }
        try {
          if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          // Still starting: the port is closed or the controller has no leader yet; poll again.
          Thread.sleep(200);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
    throw new IllegalStateException(
        "the Kafka broker did not answer within "
            + READY_TIMEOUT.toSeconds()
            + " s; see "
            + dir.resolve("broker.log"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
