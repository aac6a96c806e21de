package dev.runnel.bench.sandbox;

import dev.runnel.bench.stats.LatencySummary;
import dev.runnel.bench.support.Machine;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import dev.runnel.sandbox.nodes.NodeCapacity;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How large a simulated cluster kube-sandbox holds: nodes, then pods, created through its API with
 * the fabric8 client (as kubelets and users would), with the controllers running (scheduler,
 * kubelet, events), exactly as {@code runnel up} and the tests use it. At each milestone it
 * measures list latency (all nodes, all pods, the pods of one namespace), watch latency (create →
 * ADDED on a WebSocket watch) and the heap in use after a full GC. The run is bounded in time: when
 * the budget is spent it stops creating and reports how far it got.
 */
public final class SandboxScaleBenchmark {

  private record Options(
      int nodes,
      int pods,
      int podsPerNamespace,
      int threads,
      Duration budget,
      List<Integer> milestones) {

    static Options parse(String[] args) {
      int nodes = 5_000;
      int pods = 150_000;
      int perNamespace = 1_000;
      int threads = 4;
      Duration budget = Duration.ofMinutes(20);
      List<Integer> milestones = null;
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : "";
        switch (args[i]) {
          case "--nodes" -> nodes = Integer.parseInt(value);
          case "--pods" -> pods = Integer.parseInt(value);
          case "--pods-per-namespace" -> perNamespace = Integer.parseInt(value);
          case "--threads" -> threads = Integer.parseInt(value);
          case "--budget" -> budget = Duration.parse("PT" + value.toUpperCase());
          case "--milestones" -> {
            milestones = new ArrayList<>();
            for (String m : value.split(",")) {
              milestones.add(Integer.parseInt(m.trim()));
            }
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
        i++;
      }
      if (milestones == null) {
        milestones = new ArrayList<>();
        for (int m : new int[] {1_000, 5_000, 10_000, 25_000, 50_000, 100_000, 150_000}) {
          if (m < pods) {
            milestones.add(m);
          }
        }
        milestones.add(pods);
      }
      return new Options(nodes, pods, perNamespace, threads, budget, List.copyOf(milestones));
    }
  }

  /** One measured point: cluster size, creation rate of the stage before it, latencies, heap. */
  private record Row(
      String what,
      int nodes,
      int pods,
      double createPerSecond,
      LatencySummary listNodes,
      LatencySummary listAllPods,
      LatencySummary listNamespacePods,
      LatencySummary watch,
      long heapMiB,
      String load) {}

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Instant deadline = Instant.now().plus(options.budget());
    System.out.println("machine: " + Machine.describe());
    System.out.printf(
        "target: %,d nodes, %,d pods (%,d per namespace), %d creating threads, budget %s%n",
        options.nodes(),
        options.pods(),
        options.podsPerNamespace(),
        options.threads(),
        options.budget());
    List<Row> rows = new ArrayList<>();
    String stopped = "";
    // Nodes hold 200 pods so that pods, not node capacity, are what the run scales.
    SandboxOptions sandboxOptions =
        SandboxOptions.defaults()
            .withNodes(0)
            .withNodeCapacity(new NodeCapacity("64", "256Gi", 200))
            .withPodReadyDelay(Duration.ZERO);
    long startedAt = System.nanoTime();
    try (KubeSandbox sandbox = KubeSandbox.start(sandboxOptions)) {
      System.out.printf("sandbox started in %.1f s%n", seconds(System.nanoTime() - startedAt));
      KubernetesClient client = sandbox.client();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      rows.add(measure("empty cluster", sandbox, client, http, 0, 0, 0));

      // Nodes, through the API, the way each simulated kubelet registers its node.
      long t0 = System.nanoTime();
      int nodes = 0;
      for (; nodes < options.nodes(); nodes++) {
        if (Instant.now().isAfter(deadline)) {
          stopped = "budget spent while registering nodes";
          break;
        }
        sandbox.nodes().add("bench-node-" + nodes, new NodeCapacity("64", "256Gi", 200));
        if ((nodes + 1) % 1_000 == 0) {
          System.out.printf(
              "  %,d nodes (%.0f nodes/s so far)%n",
              nodes + 1, (nodes + 1) / seconds(System.nanoTime() - t0));
        }
      }
      double nodeRate = nodes / seconds(System.nanoTime() - t0);
      rows.add(measure("nodes registered", sandbox, client, http, nodes, 0, nodeRate));

      int namespaces =
          (options.pods() + options.podsPerNamespace() - 1) / options.podsPerNamespace();
      for (int n = 0; n < namespaces; n++) {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName("scale-" + n)
                    .endMetadata()
                    .build())
            .create();
      }
      int created = 0;
      for (int milestone : options.milestones()) {
        if (!stopped.isEmpty()) {
          break;
        }
        long stageStart = System.nanoTime();
        int before = created;
        created = createPods(client, options, created, milestone, deadline);
        double rate = (created - before) / seconds(System.nanoTime() - stageStart);
        System.out.printf("  %,d pods (%.0f pods/s in this stage)%n", created, rate);
        if (created < milestone) {
          stopped = "budget spent at " + String.format("%,d", created) + " pods";
        }
        rows.add(
            measure(
                String.format("%,d pods", created), sandbox, client, http, nodes, created, rate));
      }
      if (stopped.isEmpty()) {
        stopped = "target reached";
      }
    }
    print(rows, stopped, seconds(System.nanoTime() - startedAt));
  }

  private static int createPods(
      KubernetesClient client, Options options, int from, int to, Instant deadline)
      throws Exception {
    AtomicInteger next = new AtomicInteger(from);
    AtomicInteger done = new AtomicInteger(from);
    ExecutorService pool = Executors.newFixedThreadPool(options.threads());
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < options.threads(); t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                    if (Instant.now().isAfter(deadline)) {
                      return null;
                    }
                    String ns = "scale-" + (i / options.podsPerNamespace());
                    client.pods().inNamespace(ns).resource(pod(ns, "pod-" + i)).create();
                    done.incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return done.get();
  }

  private static Pod pod(String namespace, String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels("app", "scale")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("registry.example/scale:1")
        .withNewResources()
        .addToRequests("cpu", new Quantity("10m"))
        .addToRequests("memory", new Quantity("16Mi"))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  private static Row measure(
      String what,
      KubeSandbox sandbox,
      KubernetesClient client,
      HttpClient http,
      int nodes,
      int pods,
      double rate)
      throws Exception {
    String base = sandbox.baseUrl();
    LatencySummary listNodes = timeGets(http, base + "/api/v1/nodes", 10);
    LatencySummary listAll = timeGets(http, base + "/api/v1/pods", pods > 50_000 ? 3 : 10);
    LatencySummary listOne =
        timeGets(
            http, base + "/api/v1/namespaces/" + (pods > 0 ? "scale-0" : "default") + "/pods", 10);
    LatencySummary watch = watchLatency(client, 20);
    System.gc();
    long heap = MEMORY.getHeapMemoryUsage().getUsed() >> 20;
    Row row =
        new Row(what, nodes, pods, rate, listNodes, listAll, listOne, watch, heap, loadAverage());
    System.out.printf(
        "  %s: list nodes p99 %.0f ms, list all pods p99 %.0f ms, list one namespace p99 %.0f ms,"
            + " watch p99 %.0f ms, heap %,d MiB%n",
        what, listNodes.p99(), listAll.p99(), listOne.p99(), watch.p99(), heap);
    return row;
  }

  private static LatencySummary timeGets(HttpClient http, String url, int times) throws Exception {
    double[] millis = new double[times];
    for (int i = 0; i < times; i++) {
      long start = System.nanoTime();
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      millis[i] = (System.nanoTime() - start) / 1e6;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + response.statusCode());
      }
    }
    return LatencySummary.of(millis);
  }

  private static final AtomicInteger WATCH_ROUND = new AtomicInteger();

  /** Create → ADDED on a WebSocket watch of a namespace, one pod at a time. */
  private static LatencySummary watchLatency(KubernetesClient client, int samples)
      throws Exception {
    String ns = "watch-" + WATCH_ROUND.incrementAndGet();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    Map<String, CompletableFuture<Long>> seen = new ConcurrentHashMap<>();
    double[] millis = new double[samples];
    try (Watch watch =
        client
            .pods()
            .inNamespace(ns)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    if (action == Action.ADDED) {
                      long now = System.nanoTime();
                      seen.computeIfAbsent(
                              pod.getMetadata().getName(), n -> new CompletableFuture<>())
                          .complete(now);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    seen.values().forEach(f -> f.completeExceptionally(cause));
                  }
                })) {
      for (int i = 0; i < samples; i++) {
        String name = "probe-" + i;
        CompletableFuture<Long> added = seen.computeIfAbsent(name, n -> new CompletableFuture<>());
        long start = System.nanoTime();
        client.pods().inNamespace(ns).resource(pod(ns, name)).create();
        try {
          millis[i] = (added.get(2, TimeUnit.MINUTES) - start) / 1e6;
        } catch (TimeoutException e) {
          // Reported as the wait itself: far beyond any target, and visible in the table.
          millis[i] = TimeUnit.MINUTES.toMillis(2);
        }
      }
    }
    client.namespaces().withName(ns).delete();
    return LatencySummary.of(millis);
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0];
    } catch (Exception e) {
      return "?";
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void print(List<Row> rows, String stopped, double totalSeconds) {
    System.out.println();
    System.out.printf("kube-sandbox scale (%s; %.0f s in all)%n", stopped, totalSeconds);
    System.out.println(
        "point                   nodes      pods  create/s   list nodes p50/p99 ms   list all pods p50/p99 ms   list ns pods p50/p99 ms   watch p50/p99 ms   heap MiB  load");
    for (Row r : rows) {
      System.out.printf(
          "%-20s %8s %9s %9s %12.1f / %-9.1f %14.1f / %-10.1f %13.1f / %-9.1f %9.1f / %-7.1f %9s %5s%n",
          r.what(),
          String.format("%,d", r.nodes()),
          String.format("%,d", r.pods()),
          r.createPerSecond() == 0 ? "-" : String.format("%,.0f", r.createPerSecond()),
          r.listNodes().p50(),
          r.listNodes().p99(),
          r.listAllPods().p50(),
          r.listAllPods().p99(),
          r.listNamespacePods().p50(),
          r.listNamespacePods().p99(),
          r.watch().p50(),
          r.watch().p99(),
          String.format("%,d", r.heapMiB()),
          r.load());
    }
    System.out.println(
        "create/s: nodes/s on the 'nodes registered' row, pods/s of the stage that ended at the row;"
            + " target: list and watch p99 <= 1,000 ms");
  }
}
