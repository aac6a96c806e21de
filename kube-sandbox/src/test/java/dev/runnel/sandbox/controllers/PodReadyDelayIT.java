package dev.runnel.sandbox.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.sandbox.Await;
import dev.runnel.sandbox.Fixtures;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodReadyDelayIT {

  @Test
  void podsWaitInContainerCreatingUntilTheDelayHasPassed() {
    try (KubeSandbox sandbox =
        KubeSandbox.start(
            SandboxOptions.defaults().withNodes(1).withPodReadyDelay(Duration.ofHours(1)))) {
      KubernetesClient client = sandbox.client();
      Fixtures.namespace(client, "slow");
      client.resource(Fixtures.deployment("slow", "web", 1, "nginx:1")).create();

      Pod creating =
          Await.until(() -> pods(client), l -> l.size() == 1 && waitingReason(l.get(0)) != null)
              .get(0);
      assertThat(waitingReason(creating)).isEqualTo("ContainerCreating");
      assertThat(creating.getStatus().getPhase()).isEqualTo("Pending");
      assertThat(creating.getSpec().getNodeName()).isEqualTo("sandbox-node-0");

      sandbox.advanceClock(Duration.ofMinutes(61));

      Pod running =
          Await.until(() -> pods(client), l -> "Running".equals(l.get(0).getStatus().getPhase()))
              .get(0);
      assertThat(running.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
    }
  }

  private static List<Pod> pods(KubernetesClient client) {
    return client.pods().inNamespace("slow").list().getItems();
  }

  private static String waitingReason(Pod pod) {
    if (pod.getStatus() == null
        || pod.getStatus().getContainerStatuses() == null
        || pod.getStatus().getContainerStatuses().isEmpty()
        || pod.getStatus().getContainerStatuses().get(0).getState().getWaiting() == null) {
      return null;
    }
    return pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason();
  }
}
