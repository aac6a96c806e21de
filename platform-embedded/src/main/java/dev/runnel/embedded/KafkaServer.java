package dev.runnel.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka broker in a child process of this JVM, with its data in a directory
 * that survives restarts.
 *
 * <p>A process rather than an in-JVM broker so that it can be stopped, killed and started again on
 * the same ports and data, as an operator would; `runnel up` keeps it, tests crash it. The child
 * runs with this JVM's class path (which must hold {@code kafka_2.13}) and exits when this JVM
 * exits.
 */
public final class KafkaServer {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

  private final Path dir;
  private final int brokerPort;
  private final int controllerPort;
  private final List<String> jvmOptions;
  private Process process;

  private KafkaServer(Path dir, int brokerPort, int controllerPort, List<String> jvmOptions) {
    this.dir = dir;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /**
   * A broker whose data lives in {@code dir}; formats the storage on first use only. Ports 0 pick
   * free ones (and are then fixed for the life of this object).
   */
  public static KafkaServer in(Path dir, int brokerPort, int controllerPort) {
    try {
      Files.createDirectories(dir);
      KafkaServer server =
          new KafkaServer(
              dir,
              brokerPort == 0 ? Ports.free() : brokerPort,
              controllerPort == 0 ? Ports.free() : controllerPort,
              List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
      server.configure();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the Kafka broker in " + dir, e);
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  public int port() {
    return brokerPort;
  }

  public Path logFile() {
    return dir.resolve("broker.log");
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Starts the broker (again) and waits until it answers. */
  public synchronized KafkaServer start() {
    if (isRunning()) {
      return this;
    }
    process = launch("dev.runnel.embedded.KafkaServerMain", dir.resolve("server.properties"));
    awaitReady();
    return this;
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

  /** The broker's process id while it runs. */
  public synchronized long pid() {
    return process == null ? -1 : process.pid();
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

  private void configure() throws IOException {
    Files.writeString(dir.resolve("server.properties"), serverProperties());
    if (Files.exists(dir.resolve("data").resolve("meta.properties"))) {
      return;
    }
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
      // Minutes, not seconds: on a busy two-core machine this JVM alone has taken over 60 s.
      if (!formatter.waitFor(3, TimeUnit.MINUTES)) {
        formatter.destroyForcibly();
        throw new IllegalStateException(
            "formatting Kafka storage did not finish within 3 minutes; see " + logFile());
      }
      if (formatter.exitValue() != 0) {
        throw new IllegalStateException("formatting Kafka storage failed; see " + logFile());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while formatting Kafka storage", e);
    }
  }

  private String serverProperties() {
    Map<String, String> p = new LinkedHashMap<>();
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
    command.addAll(jvmOptions);
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
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
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
          throw new IllegalStateException("the Kafka broker exited during start; see " + logFile());
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
            + logFile());
  }
}
