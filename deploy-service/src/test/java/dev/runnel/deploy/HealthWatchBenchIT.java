package dev.runnel.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import dev.runnel.sandbox.nodes.NodeCapacity;
import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestKafka;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Benchmark, run by {@code bench/deploy-health-watch.sh} (skipped unless {@code
 * -Drunnel.bench=true}): 1,000 instances tracked by the standing health watch on a zero-delay
 * sandbox. The instances are made directly (a Deployment and a Service per instance through the
 * sandbox's API, the instance and revision rows in the database) rather than by 1,000 installs,
 * which would take most of the run on a loaded machine and measure installing, not watching.
 * Reports the heap the watch adds (after GC, with the sandbox and its objects already in the heap
 * before it starts) and the latency from a health change in the cluster (a Service deleted, then
 * created again) to the health-changed event on Kafka.
 */
@RunnelInfra
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class HealthWatchBenchIT {
  static final String DB = TestPostgres.get().freshDatabase("deploy");
  static final int INSTANCES = Integer.getInteger("runnel.bench.instances", 1000);
  static final int FLIPS = Integer.getInteger("runnel.bench.flips", 50);
  static final String NS = "bench";
  static final String CHANGED = "runnel.deploy.instance.health-changed.v1";
  static final long HEAP_TARGET = 512L * 1024 * 1024;
  static final long LATENCY_TARGET_MS = 1000;
  static KubeSandbox sandbox;
  static TopicRecorder events;

  @Autowired WebTestClient web;
  @Autowired DatabaseClient db;

  @BeforeAll
  static void start() {
    assumeTrue(Boolean.getBoolean("runnel.bench"), "benchmark: run bench/deploy-health-watch.sh");
    sandbox =
        KubeSandbox.start(
            SandboxOptions.defaults()
                .withPodReadyDelay(Duration.ZERO)
                .withNodes(10)
                .withNodeCapacity(new NodeCapacity("64", "256Gi", 250)));
    events = new TopicRecorder(TestKafka.get().bootstrapServers(), "runnel.deploy");
  }

  @AfterAll
  static void stop() {
    if (events != null) {
      events.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @DynamicPropertySource
  static void infra(DynamicPropertyRegistry registry) {
    RunnelTestInfra.register(registry::add, DB);
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    registry.add("runnel.deploy.secret-key", () -> Base64.getEncoder().encodeToString(key));
    registry.add("runnel.deploy.health.cluster-refresh", () -> "1s");
    // The objects are made before their rows (so the heap before the watch already holds the
    // sandbox's copy of them); the informers saw them when the rows did not exist yet, and the
    // resync is what brings the watch back to them. In real use rows come first.
    registry.add("runnel.deploy.health.resync", () -> "30s");
  }

  @Test
  void thousandInstancesTracked() throws Exception {
    web = web.mutate().responseTimeout(Duration.ofMinutes(2)).build();
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      ids.add(UUID.randomUUID());
    }
    sandbox
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> created = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      int n = i;
      created.add(pool.submit(() -> createObjects(n, ids.get(n))));
    }
    for (Future<?> f : created) {
      f.get();
    }
    pool.shutdown();
    long createdMs = (System.nanoTime() - t0) / 1_000_000;
    long heapBefore = heapAfterGc();

    web.post()
        .uri("/api/deploy/v1/clusters")
        .headers(h -> h.setBearerAuth(TestTokens.get().admin()))
        .bodyValue(Map.of("name", "bench", "kubeconfig", sandbox.kubeconfig()))
        .exchange()
        .expectStatus()
        .isCreated();
    long t1 = System.nanoTime();
    StepVerifier.create(
            Flux.range(0, INSTANCES).concatMap(i -> insertRows(i, ids.get(i)), 32).then())
        .expectComplete()
        .verify(Duration.ofMinutes(10));
    // Every instance starts Progressing in its row; the watch makes each Healthy with one event.
    events.awaitCount(
        m -> m.type().equals(CHANGED) && m.value().contains("\"previous\":\"Progressing\""),
        INSTANCES,
        Duration.ofMinutes(5));
    long trackedMs = (System.nanoTime() - t1) / 1_000_000;
    long heapTracked = heapAfterGc();
    long watchHeap = heapTracked - heapBefore;

    List<Long> latencies = new ArrayList<>();
    for (int k = 0; k < FLIPS; k++) {
      UUID id = ids.get((k * 37) % INSTANCES);
      String name = name((k * 37) % INSTANCES);
      long before = System.nanoTime();
      sandbox.client().services().inNamespace(NS).withName(name).delete();
      awaitChange(id, "Missing");
      latencies.add((System.nanoTime() - before) / 1_000_000);
      before = System.nanoTime();
      sandbox.client().services().inNamespace(NS).resource(service(name, id)).create();
      awaitChange(id, "Healthy");
      latencies.add((System.nanoTime() - before) / 1_000_000);
    }
    Collections.sort(latencies);
    long p50 = percentile(latencies, 50);
    long p99 = percentile(latencies, 99);
    Runtime rt = Runtime.getRuntime();
    System.out.printf(
        "%nBENCH health watch: %d instances (Deployment + ReplicaSet + Pod + Service each) on a"
            + " zero-delay sandbox; %d cores, load %.1f%n"
            + "objects created in %d ms; all %d instances Healthy through the watch %d ms after"
            + " their rows%n"
            + "heap after GC: before the watch %d MiB, with %d tracked %d MiB, the watch adds %d"
            + " MiB (max heap %d MiB; the sandbox, Kafka and PostgreSQL clients share this JVM)%n"
            + "health change -> event on Kafka, %d samples: p50 %d ms, p99 %d ms, max %d ms%n"
            + "%s heap: %d tracked instances add %d MiB (target <= 512 MiB)%n"
            + "%s latency: health change -> event p99 %d ms (target <= %d ms)%n",
        INSTANCES,
        rt.availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        createdMs,
        INSTANCES,
        trackedMs,
        mib(heapBefore),
        INSTANCES,
        mib(heapTracked),
        mib(watchHeap),
        mib(rt.maxMemory()),
        latencies.size(),
        p50,
        p99,
        latencies.get(latencies.size() - 1),
        watchHeap <= HEAP_TARGET ? "MET " : "MISS",
        INSTANCES,
        mib(watchHeap),
        p99 <= LATENCY_TARGET_MS ? "MET " : "MISS",
        p99,
        LATENCY_TARGET_MS);
    assertThat(latencies).hasSize(2 * FLIPS);
  }

  /** Each flipped instance is flipped once: its first Missing, then its first way back. */
  private static void awaitChange(UUID id, String health) {
    String previous = health.equals("Missing") ? "Healthy" : "Missing";
    events.await(
        m ->
            id.toString().equals(m.subject())
                && m.type().equals(CHANGED)
                && m.value().contains("\"health\":\"" + health + "\"")
                && m.value().contains("\"previous\":\"" + previous + "\""),
        Duration.ofMinutes(1));
  }

  private static String name(int i) {
    return "hw-" + i;
  }

  private static Map<String, String> labels(UUID id) {
    return Map.of("app.kubernetes.io/managed-by", "runnel", "runnel.dev/instance", id.toString());
  }

  private static void createObjects(int i, UUID id) {
    String name = name(i);
    sandbox
        .client()
        .apps()
        .deployments()
        .inNamespace(NS)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels(id))
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .withMatchLabels(Map.of("app", name))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(
                    Map.of(
                        "app",
                        name,
                        "app.kubernetes.io/managed-by",
                        "runnel",
                        "runnel.dev/instance",
                        id.toString()))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("nginx:1.27")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    sandbox.client().services().inNamespace(NS).resource(service(name, id)).create();
  }

  private static Service service(String name, UUID id) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels(id))
        .endMetadata()
        .withNewSpec()
        .withSelector(Map.of("app", name))
        .addNewPort()
        .withPort(80)
        .endPort()
        .endSpec()
        .build();
  }

  private reactor.core.publisher.Mono<Void> insertRows(int i, UUID id) {
    String name = name(i);
    String manifest =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "
            + name
            + "\n  namespace: "
            + NS
            + "\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: "
            + name
            + "\n  namespace: "
            + NS
            + "\n";
    var now = Instant.now().atOffset(ZoneOffset.UTC);
    return db.sql(
            "insert into instance (id, team, cluster, namespace, name, repository, chart, version,"
                + " state, health, revision, user_values, created_at, updated_at) values (:id,"
                + " 'bench', 'bench', :ns, :name, 'fixtures', 'nginx', '22.1.1', 'running',"
                + " 'Progressing', 1, '', :now, :now)")
        .bind("id", id)
        .bind("ns", NS)
        .bind("name", name)
        .bind("now", now)
        .then()
        .then(
            db.sql(
                    "insert into revision (instance_id, number, chart_version, user_values,"
                        + " manifest, hooks, status, operation_id, created_at) values (:id, 1,"
                        + " '22.1.1', '', :manifest, '', 'deployed', :op, :now)")
                .bind("id", id)
                .bind("manifest", manifest)
                .bind("op", UUID.randomUUID())
                .bind("now", now)
                .then());
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long mib(long bytes) {
    return bytes / (1024 * 1024);
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
