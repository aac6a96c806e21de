package dev.runnel.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeSandboxMainIT {

  @Test
  void servesOnThePortAndWritesTheKubeconfigWhereAsked(@TempDir Path dir) throws Exception {
    Path kubeconfig = dir.resolve("sandbox.yaml");
    try (KubeSandbox sandbox =
        KubeSandboxMain.run(
            new String[] {
              "--port", "0",
              "--kubeconfig", kubeconfig.toString(),
              "--nodes", "2",
              "--node-cpu", "2",
              "--node-memory", "4Gi",
              "--pod-ready-delay", "250ms"
            })) {
      assertThat(sandbox.options().podReadyDelay()).isEqualTo(Duration.ofMillis(250));
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        assertThat(client.nodes().list().getItems())
            .hasSize(2)
            .allSatisfy(
                (Node n) ->
                    assertThat(n.getStatus().getCapacity().get("memory").toString())
                        .isEqualTo("4Gi"));
      }
    }
  }

  @Test
  void rejectsUnknownOptions() {
    assertThatThrownBy(() -> KubeSandboxMain.run(new String[] {"--bogus", "1"}))
        .hasMessageContaining("--bogus");
  }

  @Test
  void parsesShortDurations() {
    assertThat(KubeSandboxMain.duration("0")).isZero();
    assertThat(KubeSandboxMain.duration("1s")).isEqualTo(Duration.ofSeconds(1));
    assertThat(KubeSandboxMain.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(KubeSandboxMain.duration("PT3S")).isEqualTo(Duration.ofSeconds(3));
  }
}
