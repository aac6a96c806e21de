package dev.runnel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.deploy.observe.application.ObserveInstances;
import dev.runnel.testkit.TestTokens;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Logs (tail and follow) and Kubernetes Events of an instance on the sandbox, whose pods write a
 * synthetic line every five seconds of its clock: only the instance's own pods are readable, a
 * followed log ends with its pod or its reader and leaves no connection open, and follows are
 * bounded per user.
 */
class InstanceLogsAndEventsIT extends DeployOnSandbox {
  static final String TEAM = "team-logs";
  static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> SSE =
      new ParameterizedTypeReference<>() {};
  private static String instanceId;
  private static String instanceName;

  @Autowired ObserveInstances observe;

  static String member() {
    return TestTokens.get().user("lena").teamRole(TEAM, "team-member").mint();
  }

  static String viewer() {
    return TestTokens.get().user("vic").teamRole(TEAM, "team-viewer").mint();
  }

  static String stranger() {
    return TestTokens.get().user("olga").teamRole("team-other", "team-admin").mint();
  }

  /** One nginx instance with two pods for the whole class. */
  synchronized String instance() {
    if (instanceId == null) {
      instanceName = "logs-" + shortId();
      Map<String, Object> body = new HashMap<>();
      body.put("cluster", cluster);
      body.put("namespace", TEAM);
      body.put("team", TEAM);
      body.put("name", instanceName);
      body.put("repository", "fixtures");
      body.put("chart", "nginx");
      body.put("version", "22.1.1");
      body.put("values", Map.of("replicaCount", 2));
      Map<String, Object> op =
          web.post()
              .uri("/api/deploy/v1/instances")
              .headers(h -> h.setBearerAuth(member()))
              .bodyValue(body)
              .exchange()
              .expectStatus()
              .isAccepted()
              .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
              .returnResult()
              .getResponseBody();
      assertThat(awaitFinished((String) op.get("id"), member()).get("status"))
          .isEqualTo("succeeded");
      instanceId = (String) op.get("instanceId");
    }
    return instanceId;
  }

  List<String> podNames(String id) {
    return sandbox
        .client()
        .pods()
        .inNamespace(TEAM)
        .withLabel("runnel.dev/instance", id)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> "Running".equals(p.getStatus().getPhase()))
        .map(p -> p.getMetadata().getName())
        .sorted()
        .toList();
  }

  String logs(String id, String query, String token, int status) {
    return web.get()
        .uri("/api/deploy/v1/instances/" + id + "/logs" + query)
        .headers(h -> h.setBearerAuth(token))
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  @Test
  void aViewerReadsTheLastLinesOfAPodAndOfAllPodsMerged() {
    String id = instance();
    sandbox.advanceClock(Duration.ofSeconds(60));
    String pod = podNames(id).get(0);

    String three = logs(id, "?pod=" + pod + "&tailLines=3", viewer(), 200);
    List<String> lines = three.lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines).allMatch(l -> l.contains("simulated request"));
    assertThat(lines.get(2)).startsWith("[kube-sandbox] ").doesNotContain("[" + pod + "]");

    String all = logs(id, "", viewer(), 200);
    List<String> merged = all.lines().toList();
    assertThat(merged).as("both pods' lines, start lines included").hasSizeGreaterThan(20);
    for (String name : podNames(id)) {
      assertThat(merged).anyMatch(l -> l.startsWith("[" + name + "] ") && l.contains("started"));
    }
    assertThat(logs(id, "?tailLines=4", viewer(), 200).lines()).hasSize(4);
  }

  @Test
  void onlyTheInstancesOwnPodsAreReadable() {
    String id = instance();
    Pod other =
        new PodBuilder()
            .withNewMetadata()
            .withName("not-this-" + shortId())
            .withNamespace(TEAM)
            .addToLabels("runnel.dev/instance", UUID.randomUUID().toString())
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withImage("docker.io/library/busybox:1")
            .endContainer()
            .endSpec()
            .build();
    sandbox.client().resource(other).create();
    logs(id, "?pod=" + other.getMetadata().getName(), member(), 404);
    logs(id, "?pod=kube-apiserver", member(), 404);
    logs(id, "?pod=" + podNames(id).get(0) + "&container=sidecar", member(), 400);
    logs(id, "?tailLines=5001", member(), 400);
    logs(id, "?tailLines=-1", member(), 400);
    logs(id, "", stranger(), 404);
    logs(UUID.randomUUID().toString(), "", member(), 404);
    sandbox.client().resource(other).delete();
  }

  @Test
  void aFollowedLogSendsNewLinesAndEndsWhenItsPodGoesAway() {
    String id = instance();
    String pod = podNames(id).get(0);
    Flux<ServerSentEvent<Map<String, Object>>> stream =
        web.get()
            .uri("/api/deploy/v1/instances/{id}/logs?follow=true&tailLines=1&pod={pod}", id, pod)
            .headers(h -> h.setBearerAuth(viewer()))
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(SSE)
            .getResponseBody();
    List<String> seen = new ArrayList<>();
    StepVerifier.create(stream)
        .assertNext(
            e -> {
              assertThat(e.event()).isEqualTo("log");
              assertThat(e.data()).containsEntry("pod", pod);
              seen.add((String) e.data().get("line"));
            })
        .then(() -> sandbox.advanceClock(Duration.ofSeconds(10)))
        .assertNext(
            e -> {
              assertThat(e.event()).isEqualTo("log");
              seen.add((String) e.data().get("line"));
            })
        .then(() -> sandbox.client().pods().inNamespace(TEAM).withName(pod).delete())
        .thenConsumeWhile(e -> "log".equals(e.event()))
        .assertNext(e -> assertThat(e.event()).isEqualTo("end"))
        .expectComplete()
        .verify(WAIT);
    assertThat(seen.get(1)).contains("simulated request").isNotEqualTo(seen.get(0));
    awaitNoOpenStreams();
  }

  @Test
  void followsAreBoundedPerUserAndAClosedReaderClosesTheClusterConnection() {
    String id = instance();
    String pod = podNames(id).get(0);
    List<Disposable> open = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      open.add(
          follow(id, pod, member())
              .expectStatus()
              .isOk()
              .returnResult(SSE)
              .getResponseBody()
              .subscribe());
    }
    follow(id, pod, member())
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains("already follow 3 log streams"));
    // Another user has their own allowance.
    Disposable viewers =
        follow(id, pod, viewer())
            .expectStatus()
            .isOk()
            .returnResult(SSE)
            .getResponseBody()
            .subscribe();
    StepVerifier.create(
            Flux.interval(Duration.ofMillis(50))
                .map(t -> observe.openLogStreams())
                .filter(n -> n >= 4)
                .next())
        .expectNextCount(1)
        .expectComplete()
        .verify(WAIT);

    open.forEach(Disposable::dispose);
    viewers.dispose();
    awaitNoOpenStreams();
    follow(id, pod, member())
        .expectStatus()
        .isOk()
        .returnResult(SSE)
        .getResponseBody()
        .take(1)
        .as(StepVerifier::create)
        .expectNextCount(1)
        .expectComplete()
        .verify(WAIT);
    awaitNoOpenStreams();
  }

  @Test
  void eventsOfTheInstancesObjectsNewestFirst() {
    String id = instance();
    Map<String, Object> body =
        web.get()
            .uri("/api/deploy/v1/instances/{id}/events?limit=200", id)
            .headers(h -> h.setBearerAuth(viewer()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> items = (List<Map<String, Object>>) body.get("items");
    assertThat(items).isNotEmpty();
    assertThat(items)
        .anyMatch(e -> "Pod".equals(e.get("objectKind")) && "Started".equals(e.get("reason")));
    assertThat(items).allMatch(e -> ((String) e.get("objectName")).startsWith(instanceName));
    List<String> times = items.stream().map(e -> (String) e.get("lastTime")).toList();
    assertThat(times)
        .isSortedAccordingTo(
            (a, b) -> java.time.Instant.parse(b).compareTo(java.time.Instant.parse(a)));
    assertThat(items.get(0)).containsKeys("type", "message", "count", "firstTime");

    web.get()
        .uri("/api/deploy/v1/instances/{id}/events?limit=1", id)
        .headers(h -> h.setBearerAuth(viewer()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items.length()")
        .isEqualTo(1);
    web.get()
        .uri("/api/deploy/v1/instances/{id}/events?limit=0", id)
        .headers(h -> h.setBearerAuth(viewer()))
        .exchange()
        .expectStatus()
        .isBadRequest();
    web.get()
        .uri("/api/deploy/v1/instances/{id}/events", id)
        .headers(h -> h.setBearerAuth(stranger()))
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  private WebTestClient.ResponseSpec follow(String id, String pod, String token) {
    return web.get()
        .uri("/api/deploy/v1/instances/{id}/logs?follow=true&tailLines=1&pod={pod}", id, pod)
        .headers(h -> h.setBearerAuth(token))
        .accept(MediaType.TEXT_EVENT_STREAM)
        .exchange();
  }

  private void awaitNoOpenStreams() {
    StepVerifier.create(
            Flux.interval(Duration.ofMillis(50))
                .map(t -> observe.openLogStreams() + observe.openFollows())
                .filter(n -> n == 0)
                .next())
        .expectNext(0)
        .expectComplete()
        .verify(WAIT);
  }
}
