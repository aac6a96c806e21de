package dev.runnel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.deploy.instance.application.InstanceOperations;
import dev.runnel.deploy.instance.application.Operations;
import dev.runnel.deploy.instance.domain.Operation;
import dev.runnel.deploy.instance.domain.OperationStatus;
import dev.runnel.sandbox.faults.PodMatcher;
import dev.runnel.testkit.TestTokens;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The per-cluster operation queue (two slots per cluster in these tests, {@link DeployOnSandbox}):
 * requests are accepted whole and wait their turn, a waiting operation shows its place and can be
 * cancelled, the one-operation-per-instance rule covers queued ones, a burst that does not fit the
 * cluster is not over-committed, and operations a stopped service left waiting fail clearly.
 */
class OperationQueueIT extends DeployOnSandbox {
  static final String TEAM = "team-q";

  /** Pods of this image run but never turn ready: installs with it wait until the test says. */
  static final String NEVER_READY_IMAGE = "docker.io/bitnami/nginx-never-ready";

  @Autowired DatabaseClient db;
  @Autowired InstanceOperations instanceOperations;
  @Autowired Operations operations;
  @LocalServerPort int port;

  @BeforeAll
  static void neverReadyPods() {
    sandbox.faults().neverReady(PodMatcher.image(NEVER_READY_IMAGE));
  }

  static String member() {
    return TestTokens.get().user("quinn").teamRole(TEAM, "team-member").mint();
  }

  @Test
  void operationsWaitForAFreeSlotInOrderAndAQueuedOneCanBeCancelled() {
    // A cluster name of its own: its line is not shared with the other tests.
    String lane = registerCluster("queue");
    Map<String, Object> a = install(lane, "blk-a-" + shortId(), neverReady());
    Map<String, Object> b = install(lane, "blk-b-" + shortId(), neverReady());
    awaitWaitingForHealth((String) a.get("id"));
    awaitWaitingForHealth((String) b.get("id"));

    // Both slots are held: what comes next waits, in the order it came.
    Map<String, Object> c = install(lane, "q-c-" + shortId(), Map.of());
    Map<String, Object> d = install(lane, "q-d-" + shortId(), Map.of());
    Map<String, Object> e = install(lane, "q-e-" + shortId(), Map.of());
    assertThat(List.of(c, d, e)).extracting(o -> o.get("status")).containsOnly("queued");
    assertThat(List.of(c, d, e)).extracting(o -> o.get("queuePosition")).containsExactly(1, 2, 3);
    assertThat(c.get("deadlineAt")).as("no time limit while queued").isNull();
    Map<String, Object> dNow = get((String) d.get("id"));
    assertThat(dNow.get("status")).isEqualTo("queued");
    assertThat(dNow.get("log").toString())
        .contains("Waiting for a free slot on cluster '" + lane + "'");

    // One operation per instance still holds for a queued one: 409 naming it.
    web.post()
        .uri("/api/deploy/v1/instances/{id}/restart", c.get("instanceId"))
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.detail")
        .value(m -> assertThat((String) m).contains((String) c.get("id"), "install", "queued"));

    // A queued operation is cancelled at once (nothing was applied), and the line moves up.
    Map<String, Object> cancelled =
        web.post()
            .uri("/api/deploy/v1/operations/{id}/cancel", d.get("id"))
            .headers(h -> h.setBearerAuth(member()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    assertThat(cancelled.get("status")).isEqualTo("cancelled");
    assertThat((String) cancelled.get("error")).contains("nothing was applied");
    assertThat(get((String) e.get("id")).get("queuePosition")).isEqualTo(2);
    assertThat(instance((String) d.get("instanceId")).get("state")).isEqualTo("failed");

    // The blockers become healthy (no replicas to wait for); the line runs to its end.
    release((String) a.get("instanceId"));
    release((String) b.get("instanceId"));
    List<Map<String, Object>> ends = new ArrayList<>();
    for (Map<String, Object> op : List.of(a, b, c, e)) {
      ends.add(awaitFinished((String) op.get("id"), member()));
    }
    assertThat(ends).extracting(o -> o.get("status")).containsOnly("succeeded");
    assertThat(instance((String) e.get("instanceId")).get("health")).isEqualTo("Healthy");
    assertThat(mostRunningAtOnce(ends)).isEqualTo(2);
    assertThat(objectsOf((String) d.get("instanceId"))).as("the cancelled install").isEmpty();
    assertThat(get((String) d.get("id")).get("status")).isEqualTo("cancelled");
  }

  @Test
  void manyInstallsAtOnceAreAllAcceptedAndNeverMoreThanTwoRun() {
    String lane = registerCluster("burst");
    List<Map<String, Object>> accepted =
        Flux.range(0, 10)
            .flatMap(i -> installAsync(lane, "burst-" + i + "-" + shortId(), Map.of()), 10)
            .collectList()
            .block(WAIT);
    assertThat(accepted).hasSize(10);
    List<Map<String, Object>> ends = new ArrayList<>();
    for (Map<String, Object> op : accepted) {
      ends.add(awaitFinished((String) op.get("id"), member()));
    }
    assertThat(ends).extracting(o -> o.get("status")).containsOnly("succeeded");
    assertThat(mostRunningAtOnce(ends)).isBetween(1, 2);
    for (Map<String, Object> op : accepted) {
      assertThat(instance((String) op.get("instanceId")).get("health")).isEqualTo("Healthy");
    }
  }

  @Test
  void aBurstThatDoesNotFitTheClusterFailsPastCapacityAndOverCommitsNothing() {
    String lane = registerCluster("full");
    BigDecimal free = freeCpu();
    // Each install asks for about two fifths of what is free, in pods of 100m so that the
    // scheduler can place them on any node with room: two fit, the other three cannot.
    int replicas =
        Math.max(1, free.multiply(new BigDecimal("4")).setScale(0, RoundingMode.DOWN).intValue());
    Map<String, Object> values =
        Map.of(
            "replicaCount",
            replicas,
            "resources",
            Map.of("requests", Map.of("cpu", "100m", "memory", "16Mi")));
    List<Map<String, Object>> accepted =
        Flux.range(0, 5)
            .flatMap(i -> installAsync(lane, "fit-" + i + "-" + shortId(), values), 5)
            .collectList()
            .block(WAIT);
    assertThat(accepted).hasSize(5);
    try {
      List<Map<String, Object>> ends = new ArrayList<>();
      for (Map<String, Object> op : accepted) {
        ends.add(awaitFinished((String) op.get("id"), member()));
      }
      Map<Object, List<Map<String, Object>>> byStatus =
          ends.stream().collect(Collectors.groupingBy(o -> o.get("status")));
      assertThat(byStatus.getOrDefault("succeeded", List.of())).as("what %s fits", free).hasSize(2);
      assertThat(byStatus.getOrDefault("failed", List.of())).hasSize(3);
      for (Map<String, Object> failed : byStatus.get("failed")) {
        assertThat((String) failed.get("error"))
            .contains("Not enough resources on cluster '" + lane + "'", "CPU", "short by");
        assertThat(objectsOf((String) failed.get("instanceId")))
            .as("nothing applied for an install that does not fit")
            .isEmpty();
      }
      for (Map<String, Object> ok : byStatus.get("succeeded")) {
        assertThat(pendingPods((String) ok.get("instanceId"))).isEmpty();
      }
    } finally {
      // The cluster is shared with the other tests: give its CPU back.
      for (Map<String, Object> op : accepted) {
        removeEverything((String) op.get("instanceId"));
      }
    }
  }

  @Test
  void aPodNoSingleNodeHasRoomForFailsPastCapacityThoughTheClusterHasEnoughInAll() {
    String lane = registerCluster("spread");
    Map<String, BigDecimal> free = freeCpuByNode();
    BigDecimal most = free.values().stream().max(BigDecimal::compareTo).orElseThrow();
    BigDecimal total = free.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal wanted = most.add(new BigDecimal("0.25"));
    assertThat(total).as("free CPU by node: %s", free).isGreaterThan(wanted);
    BigDecimal millicores = wanted.movePointRight(3).setScale(0, RoundingMode.DOWN);
    String cpu = millicores.toPlainString() + "m";
    Map<String, Object> op =
        install(
            lane,
            "big-" + shortId(),
            Map.of("resources", Map.of("requests", Map.of("cpu", cpu, "memory", "16Mi"))));
    String instanceId = (String) op.get("instanceId");
    try {
      Map<String, Object> end = awaitFinished((String) op.get("id"), member());
      assertThat(end.get("status")).isEqualTo("failed");
      assertThat((String) end.get("error"))
          .contains(
              "Not enough resources on cluster '" + lane + "'",
              "a pod of Deployment/",
              "requests "
                  + millicores
                      .movePointLeft(3)
                      .setScale(2, RoundingMode.HALF_UP)
                      .stripTrailingZeros()
                      .toPlainString()
                  + " CPU",
              "no schedulable node has that much free");
      assertThat(objectsOf(instanceId)).as("nothing applied").isEmpty();
      assertThat(pendingPods(instanceId)).isEmpty();
    } finally {
      removeEverything(instanceId);
    }
  }

  @Test
  void operationsAStoppedServiceLeftQueuedFailSayingNothingWasApplied() {
    String lane = registerCluster("restart");
    Map<String, Object> op = install(lane, "rq-" + shortId(), Map.of());
    assertThat(awaitFinished((String) op.get("id"), member()).get("status")).isEqualTo("succeeded");
    String instanceId = (String) op.get("instanceId");
    UUID queued = UUID.randomUUID();
    // What a service that stopped while the restart waited for a slot leaves behind.
    StepVerifier.create(
            db.sql(
                    "insert into operation (id, instance_id, kind, status, steps, log, actor,"
                        + " request, created_at) values (:id, :instance, 'restart', 'queued',"
                        + " '[]', '[]', 'quinn', '{}', now())")
                .bind("id", queued)
                .bind("instance", UUID.fromString(instanceId))
                .then()
                .then(instanceOperations.failInterrupted()))
        .assertNext(n -> assertThat(n).isGreaterThanOrEqualTo(1L))
        .verifyComplete();
    Map<String, Object> failed = get(queued.toString());
    assertThat(failed.get("status")).isEqualTo("failed");
    assertThat((String) failed.get("error"))
        .contains("restarted while this operation waited", "nothing was applied");
    // The restart never touched the instance: it keeps running.
    assertThat(instance(instanceId).get("state")).isEqualTo("running");
  }

  @Test
  void aProgressWriteArrivingAfterACancellationDoesNotRequeueTheOperation() {
    String lane = registerCluster("late-note");
    Map<String, Object> op = install(lane, "ln-" + shortId(), Map.of());
    assertThat(awaitFinished((String) op.get("id"), member()).get("status")).isEqualTo("succeeded");
    UUID id = UUID.randomUUID();
    StepVerifier.create(
            db.sql(
                    "insert into operation (id, instance_id, kind, status, steps, log, actor,"
                        + " request, created_at) values (:id, :instance, 'restart', 'cancelled',"
                        + " '[]', '[]', 'quinn', '{}', now())")
                .bind("id", id)
                .bind("instance", UUID.fromString((String) op.get("instanceId")))
                .then())
        .verifyComplete();
    Operation cancelled = operations.find(id).block();

    // The waiting operation's own copy, still queued, logs its place after the cancel was stored.
    Operation late =
        new Operation(
            cancelled.id(),
            cancelled.instanceId(),
            cancelled.kind(),
            OperationStatus.QUEUED,
            cancelled.steps(),
            cancelled.log(),
            cancelled.actor(),
            cancelled.request(),
            null,
            cancelled.createdAt(),
            null,
            null,
            null);
    StepVerifier.create(operations.update(late)).verifyComplete();

    assertThat(operations.find(id).block().status()).isEqualTo(OperationStatus.CANCELLED);
  }

  // ---------------------------------------------------------------- helpers

  private static Map<String, Object> neverReady() {
    return Map.of(
        "image", Map.of("repository", "bitnami/nginx-never-ready"),
        "global", Map.of("security", Map.of("allowInsecureImages", true)));
  }

  private Map<String, Object> install(String lane, String name, Map<String, Object> values) {
    return web.post()
        .uri("/api/deploy/v1/instances")
        .headers(h -> h.setBearerAuth(member()))
        .bodyValue(installBody(lane, name, values))
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }

  private reactor.core.publisher.Mono<Map<String, Object>> installAsync(
      String lane, String name, Map<String, Object> values) {
    return WebClient.create("http://127.0.0.1:" + port)
        .post()
        .uri("/api/deploy/v1/instances")
        .headers(h -> h.setBearerAuth(member()))
        .bodyValue(installBody(lane, name, values))
        .exchangeToMono(
            r -> {
              assertThat(r.statusCode().value()).as("install %s", name).isEqualTo(202);
              return r.bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {});
            });
  }

  private static Map<String, Object> installBody(
      String lane, String name, Map<String, Object> values) {
    Map<String, Object> body = new HashMap<>();
    body.put("cluster", lane);
    body.put("namespace", TEAM);
    body.put("team", TEAM);
    body.put("name", name);
    body.put("repository", "fixtures");
    body.put("chart", "nginx");
    body.put("version", "22.1.1");
    body.put("values", values);
    return body;
  }

  private Map<String, Object> get(String operationId) {
    return web.get()
        .uri("/api/deploy/v1/operations/{id}", operationId)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }

  private Map<String, Object> instance(String id) {
    return web.get()
        .uri("/api/deploy/v1/instances/{id}", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }

  /** Follows the operation until it waits for health: it holds its slot from then on. */
  private void awaitWaitingForHealth(String operationId) {
    Flux<ServerSentEvent<Map<String, Object>>> stream =
        web.get()
            .uri("/api/deploy/v1/operations/{id}/events", operationId)
            .headers(h -> h.setBearerAuth(member()))
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {})
            .getResponseBody();
    StepVerifier.create(
            stream
                .map(ServerSentEvent::data)
                .filter(
                    op ->
                        "running".equals(op.get("status"))
                            && op.get("steps").toString().contains("Wait for health"))
                .next())
        .expectNextCount(1)
        .verifyComplete();
  }

  /** Scales the instance's Deployments to zero: with no replicas to wait for, it is Healthy. */
  private static void release(String instanceId) {
    sandbox
        .client()
        .apps()
        .deployments()
        .inNamespace(TEAM)
        .withLabel("runnel.dev/instance", instanceId)
        .list()
        .getItems()
        .forEach(
            dep ->
                sandbox
                    .client()
                    .apps()
                    .deployments()
                    .inNamespace(TEAM)
                    .withName(dep.getMetadata().getName())
                    .scale(0));
  }

  /** Deletes the instance with its data and waits for it; an unfinished operation goes first. */
  private void removeEverything(String instanceId) {
    Map<String, Object> delete =
        web.delete()
            .uri("/api/deploy/v1/instances/{id}?purgeData=true", instanceId)
            .headers(h -> h.setBearerAuth(member()))
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    awaitFinished((String) delete.get("id"), member());
  }

  private static List<String> objectsOf(String instanceId) {
    List<String> found = new ArrayList<>();
    var client = sandbox.client();
    client
        .apps()
        .deployments()
        .inNamespace(TEAM)
        .withLabel("runnel.dev/instance", instanceId)
        .list()
        .getItems()
        .forEach(o -> found.add("Deployment/" + o.getMetadata().getName()));
    client
        .services()
        .inNamespace(TEAM)
        .withLabel("runnel.dev/instance", instanceId)
        .list()
        .getItems()
        .forEach(o -> found.add("Service/" + o.getMetadata().getName()));
    return found;
  }

  private static List<String> pendingPods(String instanceId) {
    return sandbox
        .client()
        .pods()
        .inNamespace(TEAM)
        .withLabel("runnel.dev/instance", instanceId)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getSpec().getNodeName() == null || "Pending".equals(phase(p)))
        .map(p -> p.getMetadata().getName())
        .toList();
  }

  private static String phase(Pod p) {
    return p.getStatus() == null ? null : p.getStatus().getPhase();
  }

  /** CPU each schedulable node can still allocate. */
  private static Map<String, BigDecimal> freeCpuByNode() {
    var client = sandbox.client();
    Map<String, BigDecimal> free = new HashMap<>();
    for (Node n : client.nodes().list().getItems()) {
      if (!Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
        free.put(
            n.getMetadata().getName(),
            n.getStatus().getAllocatable().get("cpu").getNumericalAmount());
      }
    }
    for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
      String node = p.getSpec().getNodeName();
      if (!free.containsKey(node) || "Succeeded".equals(phase(p)) || "Failed".equals(phase(p))) {
        continue;
      }
      for (var c : p.getSpec().getContainers()) {
        if (c.getResources() != null && c.getResources().getRequests() != null) {
          Quantity cpu = c.getResources().getRequests().get("cpu");
          if (cpu != null) {
            free.merge(node, cpu.getNumericalAmount().negate(), BigDecimal::add);
          }
        }
      }
    }
    return free;
  }

  /** CPU the schedulable nodes can still allocate, counted as deploy-service counts it. */
  private static BigDecimal freeCpu() {
    var client = sandbox.client();
    Set<String> nodes = new java.util.HashSet<>();
    BigDecimal free = BigDecimal.ZERO;
    for (Node n : client.nodes().list().getItems()) {
      if (Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
        continue;
      }
      nodes.add(n.getMetadata().getName());
      free = free.add(n.getStatus().getAllocatable().get("cpu").getNumericalAmount());
    }
    for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
      if (!nodes.contains(p.getSpec().getNodeName())
          || "Succeeded".equals(phase(p))
          || "Failed".equals(phase(p))) {
        continue;
      }
      for (var c : p.getSpec().getContainers()) {
        if (c.getResources() != null && c.getResources().getRequests() != null) {
          Quantity cpu = c.getResources().getRequests().get("cpu");
          if (cpu != null) {
            free = free.subtract(cpu.getNumericalAmount());
          }
        }
      }
    }
    return free;
  }

  /**
   * The most operations that ran at the same moment, from their recorded start and end: a slot is
   * given to the next one only after the last one's end was recorded.
   */
  private static int mostRunningAtOnce(List<Map<String, Object>> ops) {
    List<Object[]> edges = new ArrayList<>();
    for (Map<String, Object> op : ops) {
      edges.add(new Object[] {Instant.parse((String) op.get("startedAt")), 1});
      edges.add(new Object[] {Instant.parse((String) op.get("finishedAt")), -1});
    }
    // At the same instant an end comes before a start.
    edges.sort(
        (x, y) -> {
          int byTime = ((Instant) x[0]).compareTo((Instant) y[0]);
          return byTime != 0 ? byTime : Integer.compare((int) x[1], (int) y[1]);
        });
    int now = 0;
    int most = 0;
    for (Object[] edge : edges) {
      now += (int) edge[1];
      most = Math.max(most, now);
    }
    return most;
  }
}
