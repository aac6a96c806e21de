package dev.runnel.cli.up;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runnel up}: the whole platform on this machine, in the foreground until stopped. */
@Command(
    name = "up",
    description =
        "Start the platform on this machine: PostgreSQL, Kafka, Keycloak, the services"
            + " and the gateway. Runs until Ctrl-C or `runnel down`.")
public final class UpCommand implements Callable<Integer> {
  @Option(
      names = "--data-dir",
      description =
          "Where the platform keeps its data, logs and credentials (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.runnel")
  Path dataDir;

  @Option(
      names = "--port",
      description = "Port of the console and API (default: ${DEFAULT-VALUE}).",
      defaultValue = "8080")
  int port;

  @Option(
      names = "--base-port",
      description =
          "First of the internal loopback ports (PostgreSQL, Kafka, Keycloak, services;"
              + " default: ${DEFAULT-VALUE}).",
      defaultValue = "18100")
  int basePort;

  @Option(
      names = "--nodes",
      description = "Nodes of the simulated cluster (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  int nodes;

  @Option(
      names = "--kubeconfig",
      description = "A real cluster to use instead of the simulated one.")
  Path kubeconfig;

  private final PrintStream out = System.out;
  private final PrintStream err = System.err;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (port < 1 || port > 65535 || basePort < 1024 || basePort > 65500) {
      err.println("runnel up: --port must be 1-65535 and --base-port 1024-65500");
      return 2;
    }
    if (nodes < 1 || nodes > 5000) {
      err.println("runnel up: --nodes must be between 1 and 5000");
      return 2;
    }
    if (kubeconfig != null && !Files.isReadable(kubeconfig)) {
      err.println("runnel up: cannot read the kubeconfig " + kubeconfig);
      return 2;
    }
    Path home = runnelHome();
    Layout layout = new Layout(dataDir.toAbsolutePath(), port, basePort);
    Files.createDirectories(layout.dataDir());
    StateFile running = StateFile.read(layout.state());
    if (running != null && running.supervisorAlive()) {
      err.println(
          "runnel up: Runnel is already running from "
              + layout.dataDir()
              + " (pid "
              + running.pid()
              + "); see `runnel status`, or stop it with `runnel down`.");
      return 1;
    }
    Files.deleteIfExists(layout.state());

    Progress progress = new Progress(out);
    Path keycloakDist =
        Path.of(
            System.getProperty(
                "runnel.keycloak.dist",
                home.resolve("cli/target/keycloak/keycloak-dist.tar.gz").toString()));
    Stack stack =
        new Stack(
            layout,
            home,
            keycloakDist,
            kubeconfig == null ? nodes : 0,
            kubeconfig == null ? layout.kubeconfig() : kubeconfig,
            progress);
    try {
      stack.preflight();
    } catch (Stack.UpException e) {
      err.println("runnel up: " + e.getMessage());
      return 1;
    }
    Secrets.Loaded secrets = Secrets.loadOrCreate(layout.credentials());

    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean closed = new AtomicBoolean();
    // Stops everything once; true for the caller that did the stopping.
    java.util.function.BooleanSupplier stopOnce =
        () -> {
          if (!closed.compareAndSet(false, true)) {
            return false;
          }
          stack.close();
          try {
            Files.deleteIfExists(layout.state());
          } catch (IOException e) {
            err.println("runnel: could not remove " + layout.state() + ": " + e.getMessage());
          }
          progress.step("stopped");
          stopped.countDown();
          return true;
        };
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (stopOnce.getAsBoolean()) {
                    // A stop that was asked for (Ctrl-C, `runnel down`) and went cleanly is a
                    // success; without this the JVM would report the signal (130, 143).
                    Runtime.getRuntime().halt(0);
                  }
                },
                "runnel-down"));

    try {
      stack.start(secrets.secrets());
    } catch (RuntimeException e) {
      err.println("runnel up: " + e.getMessage());
      stopOnce.getAsBoolean();
      return 1;
    }
    stack.state().write(layout.state());
    String registration =
        LocalClusterCheck.describe(layout, secrets.secrets(), java.time.Duration.ofSeconds(90));
    progress.step("cluster: " + registration);
    summary(layout, secrets, progress, registration);

    String reported = null;
    while (!stopped.await(2, TimeUnit.SECONDS)) {
      String dead = closed.get() ? null : stack.firstDead();
      if (dead != null && !dead.equals(reported)) {
        err.println("runnel: " + dead + " stopped unexpectedly; the rest keeps running");
        reported = dead;
      }
    }
    return 0;
  }

  private void summary(
      Layout layout, Secrets.Loaded secrets, Progress progress, String registration) {
    out.println();
    out.printf("Runnel is up (%.1f s).%n", progress.seconds());
    out.println(
        "  Console and API  "
            + layout.gatewayUrl()
            + "   (API docs: "
            + layout.gatewayUrl()
            + "/api/docs)");
    out.println("  Admin user       " + secrets.secrets().adminUsername());
    if (secrets.created()) {
      out.println(
          "  Admin password   "
              + secrets.secrets().adminPassword()
              + "   (shown once; also in "
              + layout.credentials()
              + ", mode 0600)");
    } else {
      out.println("  Admin password   in " + layout.credentials());
    }
    out.println("  Keycloak         " + layout.keycloakIssuer());
    out.println("  Cluster          " + clusterLine(layout));
    out.println("                   " + registration);
    out.println("  Data and logs    " + layout.dataDir());
    out.println("Stop with Ctrl-C or `runnel down`.");
    out.flush();
  }

  private String clusterLine(Layout layout) {
    if (kubeconfig != null) {
      return "real, from " + kubeconfig.toAbsolutePath();
    }
    return "SIMULATED (kube-sandbox, "
        + nodes
        + " nodes, empty at each start), kubeconfig "
        + layout.kubeconfig();
  }

  static Path runnelHome() {
    String home = System.getProperty("runnel.home");
    if (home == null) {
      throw new IllegalStateException(
          "runnel.home is not set; start runnel with the ./runnel script");
    }
    return Path.of(home);
  }
}
