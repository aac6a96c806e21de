package dev.runnel.sandbox;

import dev.runnel.sandbox.nodes.NodeCapacity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the sandbox as its own process:
 *
 * <pre>
 * java -cp ... dev.runnel.sandbox.KubeSandboxMain --port 6443 --kubeconfig /tmp/sandbox.yaml
 * </pre>
 *
 * <p>Options: {@code --host}, {@code --port} (0 picks one), {@code --kubeconfig} (where to write
 * it), {@code --nodes}, {@code --node-cpu}, {@code --node-memory}, {@code --node-pods}, {@code
 * --pod-ready-delay} ({@code 1s}, {@code 250ms}, {@code 0}), {@code --kubernetes-version}, {@code
 * --event-ttl} ({@code 1h}). It stops on SIGTERM or Ctrl-C.
 */
public final class KubeSandboxMain {

  private KubeSandboxMain() {}

  public static void main(String[] args) throws InterruptedException {
    KubeSandbox sandbox = run(args);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sandbox.close();
                  stopped.countDown();
                },
                "kube-sandbox-shutdown"));
    stopped.await();
  }

  /** Parses the options, starts the sandbox and writes the kubeconfig; the caller stops it. */
  public static KubeSandbox run(String[] args) {
    SandboxOptions options = SandboxOptions.defaults().withPort(6443);
    Path kubeconfig = Path.of("kube-sandbox.kubeconfig");
    String cpu = options.nodeCapacity().cpu();
    String memory = options.nodeCapacity().memory();
    int pods = options.nodeCapacity().pods();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + name);
      }
      String value = args[++i];
      switch (name) {
        case "--host" -> options = options.withHost(value);
        case "--port" -> options = options.withPort(Integer.parseInt(value));
        case "--kubeconfig" -> kubeconfig = Path.of(value);
        case "--nodes" -> options = options.withNodes(Integer.parseInt(value));
        case "--node-cpu" -> cpu = value;
        case "--node-memory" -> memory = value;
        case "--node-pods" -> pods = Integer.parseInt(value);
        case "--pod-ready-delay" -> options = options.withPodReadyDelay(duration(value));
        case "--kubernetes-version" -> options = options.withKubernetesVersion(value);
        case "--event-ttl" -> options = options.withEventTtl(duration(value));
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    options = options.withNodeCapacity(new NodeCapacity(cpu, memory, pods));
    KubeSandbox sandbox = KubeSandbox.start(options);
    Path written = sandbox.writeKubeconfig(kubeconfig);
    System.out.printf(
        "kube-sandbox (SIMULATED cluster, %s, %d nodes) serving %s%nkubeconfig: %s%n",
        options.kubernetesVersion(), options.nodes(), sandbox.baseUrl(), written.toAbsolutePath());
    return sandbox;
  }

  /** {@code 250ms}, {@code 2s}, {@code 1m}, {@code 0} or an ISO-8601 duration. */
  static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    if (t.startsWith("p")) {
      return Duration.parse(t.toUpperCase(Locale.ROOT));
    }
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    if (t.endsWith("h")) {
      return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    if (t.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(t));
  }
}
