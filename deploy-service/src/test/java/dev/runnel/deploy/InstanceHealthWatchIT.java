package dev.runnel.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runnel.deploy.health.application.ClusterWatches;
import dev.runnel.deploy.health.application.HealthMonitor;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import dev.runnel.testkit.EventSchemas;
import dev.runnel.testkit.TestKafka;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The standing health watch: after install, a change in the cluster (pods crash-looping, a Service
 * removed, the API server gone) changes the instance's health, once, with an event.
 */
class InstanceHealthWatchIT extends DeployOnSandbox {
  static final String TEAM = "team-h";
  static final String CHANGED = "runnel.deploy.instance.health-changed.v1";
  static final JsonMapper JSON = JsonMapper.builder().build();
  static TopicRecorder events;

  @Autowired HealthMonitor monitor;
  @Autowired ClusterWatches watches;

  @BeforeAll
  static void recordEvents() {
    events = new TopicRecorder(TestKafka.get().bootstrapServers(), "runnel.deploy");
  }

  @AfterAll
  static void stopRecording() {
    if (events != null) {
      events.close();
    }
  }

  static String member() {
    return TestTokens.get().user("hana").teamRole(TEAM, "team-member").mint();
  }

  @Test
  void crashingPodsMakeTheInstanceDegradedAndRecoveryMakesItHealthyOnceEach() {
    // The same API server registered a second time: its watch reports this instance's objects
    // too, and must neither assess the instance nor keep its own cluster's watch from doing so.
    String twin = registerCluster("twin");
    await()
        .atMost(WAIT)
        .until(() -> watches.watching().containsKey(twin) && watches.connected(twin));
    String name = "watch-" + shortId();
    Map<String, Object> op = install(cluster, name);
    String id = (String) op.get("instanceId");
    assertThat(awaitFinished((String) op.get("id"), member()).get("status")).isEqualTo("succeeded");
    expectHealth(id, "Healthy");

    AtomicBoolean crashing = new AtomicBoolean(true);
    sandbox
        .faults()
        .crashLoop(
            pod ->
                crashing.get()
                    && id.equals(pod.getMetadata().getLabels().get("runnel.dev/instance")));
    replacePods(id);

    JsonNode degraded = awaitHealth(id, "Degraded");
    assertThat(degraded.get("team").asString()).isEqualTo(TEAM);
    assertThat(degraded.get("cluster").asString()).isEqualTo(cluster);
    assertThat(degraded.get("namespace").asString()).isEqualTo(TEAM);
    assertThat(degraded.get("reason").asString()).contains("Pod/", "restarting failed container");
    assertThat(degraded.get("unhealthyObjects").toString()).contains("\"kind\":\"Pod\"");
    expectHealth(id, "Degraded");

    crashing.set(false);
    replacePods(id);
    JsonNode healthy = awaitHealth(id, "Healthy");
    assertThat(healthy.get("unhealthyObjects").isEmpty()).isTrue();
    expectHealth(id, "Healthy");

    // A resync (or any change that does not move the health) records and publishes nothing.
    StepVerifier.create(monitor.evaluate(cluster, UUID.fromString(id)))
        .expectNext(HealthMonitor.Outcome.UNCHANGED)
        .verifyComplete();

    sandbox.client().services().inNamespace(TEAM).withName(name + "-nginx").delete();
    awaitHealth(id, "Missing");
    expectHealth(id, "Missing");

    // Each event starts from where the last one ended: no change is published twice.
    List<JsonNode> changes =
        events.messages().stream()
            .filter(m -> id.equals(m.subject()) && m.type().equals(CHANGED))
            .map(m -> JSON.readTree(m.value()))
            .toList();
    assertThat(changes.get(0).get("previous").asString()).isEqualTo("Healthy");
    for (int i = 1; i < changes.size(); i++) {
      assertThat(changes.get(i).get("previous").asString())
          .isEqualTo(changes.get(i - 1).get("health").asString());
      assertThat(changes.get(i).get("health").asString())
          .isNotEqualTo(changes.get(i).get("previous").asString());
    }
  }

  @Test
  void aClusterWhoseApiServerStopsTurnsItsInstancesUnknownAndTheServiceStaysUp() {
    KubeSandbox doomed =
        KubeSandbox.start(SandboxOptions.defaults().withPodReadyDelay(Duration.ZERO));
    // KubeSandbox.close is not idempotent: a second close fails on its terminated event loop.
    boolean closed = false;
    try {
      String downCluster = "fading-" + shortId();
      web.post()
          .uri("/api/deploy/v1/clusters")
          .headers(h -> h.setBearerAuth(TestTokens.get().admin()))
          .bodyValue(Map.of("name", downCluster, "kubeconfig", doomed.kubeconfig()))
          .exchange()
          .expectStatus()
          .isCreated();
      Map<String, Object> op = install(downCluster, "fade-" + shortId());
      String id = (String) op.get("instanceId");
      assertThat(awaitFinished((String) op.get("id"), member()).get("status"))
          .isEqualTo("succeeded");
      expectHealth(id, "Healthy");

      doomed.close();
      closed = true;

      JsonNode unknown = awaitHealth(id, "Unknown");
      assertThat(unknown.get("previous").asString()).isEqualTo("Healthy");
      assertThat(unknown.get("reason").asString()).contains(downCluster, "unreachable");
      expectHealth(id, "Unknown");
      web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
      web.get()
          .uri("/api/deploy/v1/instances?limit=200")
          .headers(h -> h.setBearerAuth(member()))
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.items[?(@.id == '" + id + "')].health")
          .isEqualTo(List.of("Unknown"));
    } finally {
      if (!closed) {
        doomed.close();
      }
    }
  }

  /** The controller makes new pods; the fault rules apply to pods that start after them. */
  private void replacePods(String id) {
    sandbox.client().pods().inNamespace(TEAM).withLabel("runnel.dev/instance", id).delete();
  }

  private JsonNode awaitHealth(String id, String health) {
    TopicRecorder.Message m =
        events.await(
            e ->
                id.equals(e.subject())
                    && e.type().equals(CHANGED)
                    && e.value().contains("\"health\":\"" + health + "\""),
            WAIT);
    EventSchemas.assertValid(m.type(), m.value());
    assertThat(m.header("ce_team")).isEqualTo(TEAM);
    JsonNode data = JSON.readTree(m.value());
    assertThat(data.get("instanceId").asString()).isEqualTo(id);
    return data;
  }

  private void expectHealth(String id, String health) {
    web.get()
        .uri("/api/deploy/v1/instances/{id}", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.health")
        .isEqualTo(health);
  }

  private Map<String, Object> install(String onCluster, String name) {
    Map<String, Object> body = new HashMap<>();
    body.put("cluster", onCluster);
    body.put("namespace", TEAM);
    body.put("team", TEAM);
    body.put("name", name);
    body.put("repository", "fixtures");
    body.put("chart", "nginx");
    body.put("version", "22.1.1");
    body.put("values", Map.of());
    return web.post()
        .uri("/api/deploy/v1/instances")
        .headers(h -> h.setBearerAuth(member()))
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }
}
