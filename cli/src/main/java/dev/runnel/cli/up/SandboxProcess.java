package dev.runnel.cli.up;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kube-sandbox, the simulated Kubernetes cluster, in its own JVM on loopback, writing a kubeconfig
 * into the data dir. Its objects live in memory: a restart starts an empty cluster.
 */
final class SandboxProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Process process;
  private final int port;
  private final Path log;

  private SandboxProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static SandboxProcess start(int port, int nodes, Path kubeconfig, Path logDir) {
    Path log = logDir.resolve("kube-sandbox.log");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Drunnel.parent.pid=" + ProcessHandle.current().pid(),
            "-cp",
            System.getProperty("java.class.path"),
            SandboxProcessMain.class.getName(),
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--nodes",
            String.valueOf(nodes),
            "--kubeconfig",
            kubeconfig.toString());
    try {
      Files.createDirectories(logDir);
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new SandboxProcess(process, port, log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start kube-sandbox", e);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** Waits until the API server answers {@code /version}. */
  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new Stack.UpException("kube-sandbox exited during start; see " + log);
      }
      try {
        HttpResponse<Void> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/version"))
                    .timeout(Duration.ofSeconds(3))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
        last = "HTTP " + r.statusCode();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Stack.UpException("interrupted while waiting for kube-sandbox");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Stack.UpException("interrupted while waiting for kube-sandbox");
      }
    }
    throw new Stack.UpException(
        "kube-sandbox was not ready within " + timeout + " (" + last + "); see " + log);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
