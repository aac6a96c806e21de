package dev.runnel.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Runnel service started from its runnable jar in its own JVM, as production runs it: for {@code
 * runnel up}, end-to-end tests and benchmarks. Its output goes to a log file whose tail is shown
 * when it fails to start; it exits when the JVM that started it is gone.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final int port;
  private final Path log;
  private final Process process;

  private ServiceProcess(String name, int port, Path log, Process process) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /** Starts {@code java -jar jar --server.port=<free port> args...}; does not wait for it. */
  public static ServiceProcess start(String name, Path jar, Path logDir, List<String> args) {
    try {
      return start(name, jar, logDir, Ports.free(), List.of(), args);
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for " + name, e);
    }
  }

  /**
   * Starts {@code java <jvmOptions> -jar jar --server.port=port args...}; does not wait for it. The
   * service is told this JVM's pid ({@code runnel.parent.pid}) so that it can end itself when this
   * JVM is gone.
   */
  public static ServiceProcess start(
      String name, Path jar, Path logDir, int port, List<String> jvmOptions, List<String> args) {
    return start(name, jar, logDir, port, jvmOptions, args, Map.of());
  }

  /**
   * As {@link #start(String, Path, Path, int, List, List)}, with extra environment variables: the
   * way to hand a service a secret, since command-line arguments are readable by every local user.
   */
  public static ServiceProcess start(
      String name,
      Path jar,
      Path logDir,
      int port,
      List<String> jvmOptions,
      List<String> args,
      Map<String, String> environment) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no runnable jar for " + name + " at " + jar + "; build it first");
    }
    try {
      Files.createDirectories(logDir);
      Path log = logDir.resolve(name + ".log");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx384m");
      command.add("-XX:TieredStopAtLevel=1");
      command.addAll(jvmOptions);
      command.add("-Drunnel.parent.pid=" + ProcessHandle.current().pid());
      command.add("-jar");
      command.add(jar.toString());
      command.add("--server.port=" + port);
      command.addAll(args);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment);
      Process process = builder.start();
      ServiceProcess service = new ServiceProcess(name, port, log, process);
      Runtime.getRuntime().addShutdownHook(new Thread(service::close, name + "-stop"));
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** Waits until the readiness probe says UP; fails with the log's tail otherwise. */
  public ServiceProcess awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(3))
            .build();
    String lastProbeError = "none";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited during start:\n" + tail());
      }
      try {
        HttpResponse<String> r = HTTP.send(probe, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
          return this;
        }
      } catch (IOException notListeningYet) {
        // Starting: the port is not open yet. Kept for the message if it never opens.
        lastProbeError = notListeningYet.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
    throw new IllegalStateException(
        name
            + " was not ready within "
            + timeout
            + " (last probe error: "
            + lastProbeError
            + "):\n"
            + tail());
  }

  /** The last lines of the service's log. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ": " + e.getMessage() + ")";
    }
  }

  /** SIGKILL, as a crash. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
