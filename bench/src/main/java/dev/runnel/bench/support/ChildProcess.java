package dev.runnel.bench.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process the benchmark driver starts (a JVM, wrk): its output goes to a log file, it can be
 * killed as an operator would ({@code kill -9}) or stopped cleanly, and a shutdown hook of the
 * driver ends it, so an interrupted benchmark leaves nothing running.
 */
public final class ChildProcess {
  private final String name;
  private final Path log;
  private final Process process;

  private ChildProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly, name + "-stop"));
  }

  /** Starts the command with its output appended to {@code <logDir>/<name>.log}. */
  public static ChildProcess start(String name, List<String> command, Path logDir) {
    try {
      Files.createDirectories(logDir);
      Path log = logDir.resolve(name + ".log");
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new ChildProcess(name, log, p);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + command, e);
    }
  }

  /**
   * The command that runs {@code mainClass} in a new JVM on the driver's own classpath. The child
   * is told the driver's pid so that it can exit if the driver dies without running its hooks.
   */
  public static List<String> javaCommand(
      List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-D" + ParentWatch.PROPERTY + "=" + ProcessHandle.current().pid());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, as {@code kill -9}: no shutdown hooks, no flushing, no rollback by the process. */
  public void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(10));
  }

  /** SIGTERM, then SIGKILL if the process has not ended within the grace period. */
  public void stop(Duration grace) {
    process.destroy();
    if (!awaitExit(grace)) {
      kill();
    }
  }

  /** Waits for the process to end by itself and returns its exit code. */
  public int waitFor(Duration timeout) {
    if (!awaitExit(timeout)) {
      kill();
      throw new IllegalStateException(
          name + " did not finish within " + timeout.toSeconds() + " s");
    }
    return process.exitValue();
  }

  private boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void stopQuietly() {
    if (process.isAlive()) {
      stop(Duration.ofSeconds(10));
    }
  }

  /** Polls the URL until it answers 200, failing early if the process dies. */
  public void awaitHttpOk(String url, Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited during start; see " + log);
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // The port is not open yet: the JVM is still starting.
        sleep(Duration.ofMillis(250));
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      sleep(Duration.ofMillis(250));
    }
    throw new IllegalStateException(
        name + " was not ready within " + timeout.toSeconds() + " s; see " + log);
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  public static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
