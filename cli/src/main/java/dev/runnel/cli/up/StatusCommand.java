package dev.runnel.cli.up;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runnel status}: each component with its port, pid and health, probed now. */
@Command(
    name = "status",
    description = "Show each component of the running platform and its health.")
public final class StatusCommand implements Callable<Integer> {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Option(
      names = "--data-dir",
      description = "The data dir of the platform (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.runnel")
  Path dataDir;

  @Override
  public Integer call() throws IOException {
    Layout layout = new Layout(dataDir.toAbsolutePath(), 0, 1024);
    StateFile state = StateFile.read(layout.state());
    if (state == null || !state.supervisorAlive()) {
      System.out.println("Runnel is not running from " + layout.dataDir() + ".");
      return 3;
    }
    System.out.printf(
        "Runnel is running (pid %d, since %s), console %s%n",
        state.pid(), state.startedAt(), state.gatewayUrl());
    System.out.printf("%-18s %6s %8s  %s%n", "COMPONENT", "PORT", "PID", "HEALTH");
    boolean allHealthy = true;
    for (StateFile.Component c : state.components()) {
      boolean healthy = probe(c.health());
      allHealthy &= healthy;
      System.out.printf(
          "%-18s %6d %8s  %s%n",
          c.name(), c.port(), c.pid() > 0 ? c.pid() : "-", healthy ? "healthy" : "DOWN");
    }
    return allHealthy ? 0 : 1;
  }

  static boolean probe(String health) {
    try {
      if (health.startsWith("tcp://")) {
        URI uri = URI.create(health);
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
          return true;
        }
      }
      HttpResponse<Void> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(health)).timeout(Duration.ofSeconds(3)).build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
