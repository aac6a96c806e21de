package dev.runnel.sandbox.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.runnel.sandbox.Await;
import dev.runnel.sandbox.Fixtures;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl logs -f} against the sandbox: the stream stays open, new lines arrive as the
 * sandbox's time passes, and it ends when the container finishes or the pod goes away. Pods take an
 * hour of simulated time to start (and run-to-completion pods an hour to finish), so each step
 * happens when the test advances the clock, not when the machine gets round to it.
 */
class LogFollowIT {

  private static final String NS = "follow";
  private static final Duration STEP = Duration.ofHours(1);

  /** A safety net against a stream that never ends; no assertion depends on elapsed time. */
  private static final Duration GUARD = Duration.ofSeconds(60);

  private static KubeSandbox sandbox;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    sandbox = KubeSandbox.start(SandboxOptions.defaults().withNodes(1).withPodReadyDelay(STEP));
    client = sandbox.client();
    Fixtures.namespace(client, NS);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  private static Pod runningPod(String name, String restartPolicy) {
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy(restartPolicy)
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.37")
                .endContainer()
                .endSpec()
                .build())
        .create();
    // The kubelet has taken the pod (ContainerCreating) before the clock moves past its start.
    Await.until(
        () -> client.pods().inNamespace(NS).withName(name).get(),
        p -> p != null && p.getStatus() != null && !p.getStatus().getContainerStatuses().isEmpty());
    sandbox.advanceClock(STEP);
    return Await.until(
        () -> client.pods().inNamespace(NS).withName(name).get(),
        p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
  }

  @Test
  void followWritesNewLinesAsTimePassesAndEndsWhenThePodIsDeleted() {
    runningPod("server", "Always");

    assertTimeoutPreemptively(
        GUARD,
        () -> {
          try (LogWatch watch = client.pods().inNamespace(NS).withName("server").watchLog();
              BufferedReader reader = reader(watch)) {
            assertThat(reader.readLine())
                .contains("simulated container main (busybox:1.37) started");

            sandbox.advanceClock(Duration.ofSeconds(10));
            assertThat(reader.readLine()).endsWith("(simulated request 1)");
            assertThat(reader.readLine()).endsWith("(simulated request 2)");

            client.pods().inNamespace(NS).withName("server").delete();
            List<String> rest = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
              rest.add(line);
            }
            assertThat(rest).allSatisfy(l -> assertThat(l).contains("GET /healthz"));
          }
        });
  }

  @Test
  void followEndsWithTheExitLineWhenTheContainerFinishes() {
    runningPod("batch", "Never");

    assertTimeoutPreemptively(
        GUARD,
        () -> {
          try (LogWatch watch = client.pods().inNamespace(NS).withName("batch").watchLog();
              BufferedReader reader = reader(watch)) {
            assertThat(reader.readLine()).contains("started in pod follow/batch");

            // The kubelet finishes the pod an hour after it started: 720 request lines, then exit.
            sandbox.advanceClock(STEP);
            List<String> lines = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
              lines.add(line);
            }
            assertThat(lines).hasSize(721);
            assertThat(lines.get(719)).endsWith("(simulated request 720)");
            assertThat(lines.get(720))
                .isEqualTo("[kube-sandbox] work finished, exiting with code 0");
          }
        });
    assertThat(client.pods().inNamespace(NS).withName("batch").get().getStatus().getPhase())
        .isEqualTo("Succeeded");
  }

  @Test
  void followingAContainerThatHasNotStartedIsRefusedAsByARealServer() throws Exception {
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("starting")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.37")
                .endContainer()
                .endSpec()
                .build())
        .create();

    HttpResponse<String> response = get("/pods/starting/log?follow=true");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("is waiting to start: ContainerCreating");
  }

  @Test
  void aTailThatIsNotANumberIsABadRequest() throws Exception {
    runningPod("tailed", "Always");
    HttpResponse<String> response = get("/pods/tailed/log?follow=true&tailLines=ten");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .contains("tailLines must be a non-negative integer, got \\\"ten\\\"");
  }

  private static HttpResponse<String> get(String podPath) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create(sandbox.baseUrl() + "/api/v1/namespaces/" + NS + podPath))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static BufferedReader reader(LogWatch watch) {
    return new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8));
  }
}
