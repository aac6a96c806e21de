package dev.runnel.sandbox.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.sandbox.Await;
import dev.runnel.sandbox.Fixtures;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultsIT {

  private static final String NS = "faults";
  private static KubeSandbox sandbox;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    sandbox =
        KubeSandbox.start(SandboxOptions.defaults().withNodes(2).withPodReadyDelay(Duration.ZERO));
    client = sandbox.client();
    Fixtures.namespace(client, NS);
    sandbox
        .faults()
        .imagePullFailure(PodMatcher.image("registry.example/missing"))
        .crashLoop(PodMatcher.label("fault", "crash"))
        .neverReady(PodMatcher.image("slow"));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void aBadImageEndsInImagePullBackOff() {
    client.resource(Fixtures.deployment(NS, "pull", 1, "registry.example/missing:1.0")).create();

    ContainerStatus status =
        awaitContainer(
            "pull",
            s ->
                s.getState().getWaiting() != null
                    && "ImagePullBackOff".equals(s.getState().getWaiting().getReason()));

    assertThat(status.getReady()).isFalse();
    assertThat(pod("pull").getStatus().getPhase()).isEqualTo("Pending");
    assertThat(events(pod("pull"))).extracting(Event::getMessage).contains("Error: ErrImagePull");
    Deployment deployment = client.apps().deployments().inNamespace(NS).withName("pull").get();
    assertThat(deployment.getStatus().getAvailableReplicas()).isZero();
  }

  @Test
  void aCrashingContainerLoopsWithAGrowingRestartCount() {
    Deployment crashing = Fixtures.deployment(NS, "crash", 1, "app:1");
    crashing.getSpec().getTemplate().getMetadata().getLabels().put("fault", "crash");
    client.resource(crashing).create();

    ContainerStatus status =
        awaitContainer(
            "crash",
            s ->
                s.getRestartCount() >= 3
                    && s.getState().getWaiting() != null
                    && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason()));

    assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(pod("crash").getStatus().getPhase()).isEqualTo("Running");
    assertThat(events(pod("crash"))).extracting(Event::getReason).contains("BackOff");
  }

  @Test
  void aNeverReadyPodRunsButIsNotReady() {
    client.resource(Fixtures.deployment(NS, "slow", 1, "slow:2")).create();

    ContainerStatus status = awaitContainer("slow", s -> s.getState().getRunning() != null);

    assertThat(status.getReady()).isFalse();
    assertThat(pod("slow").getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=False"));
  }

  @Test
  void podsWithoutAMatchingFaultRunNormally() {
    client.resource(Fixtures.deployment(NS, "healthy", 1, "registry.example/present:1")).create();

    ContainerStatus status = awaitContainer("healthy", s -> Boolean.TRUE.equals(s.getReady()));

    assertThat(status.getState().getRunning()).isNotNull();
  }

  private static ContainerStatus awaitContainer(
      String app, java.util.function.Predicate<ContainerStatus> condition) {
    return Await.until(
            () -> {
              Pod pod = pod(app);
              return pod == null || pod.getStatus() == null
                  ? null
                  : pod.getStatus().getContainerStatuses();
            },
            statuses -> !statuses.isEmpty() && condition.test(statuses.get(0)))
        .get(0);
  }

  private static Pod pod(String app) {
    List<Pod> pods = client.pods().inNamespace(NS).withLabel("app", app).list().getItems();
    return pods.isEmpty() ? null : pods.get(0);
  }

  private static List<Event> events(Pod pod) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> pod.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
        .toList();
  }
}
