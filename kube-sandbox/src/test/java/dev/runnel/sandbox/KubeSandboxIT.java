package dev.runnel.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeSandboxIT {

  @Test
  void startsWithNodesNamespacesAndSaysItIsSimulated() {
    try (KubeSandbox sandbox = KubeSandbox.start(SandboxOptions.defaults().withNodes(2))) {
      KubernetesClient client = sandbox.client();
      assertThat(client.nodes().list().getItems()).hasSize(2);
      assertThat(client.namespaces().list().getItems())
          .extracting(n -> n.getMetadata().getName())
          .contains("default", "kube-system", "kube-public", "kube-node-lease");
      ConfigMap marker =
          client.configMaps().inNamespace("kube-system").withName("runnel-sandbox").get();
      assertThat(marker.getData()).containsEntry("simulated", "true");
      assertThat(client.services().inNamespace("default").withName("kubernetes").get())
          .extracting(s -> s.getSpec().getClusterIP())
          .isEqualTo("10.43.0.1");
      assertThat(client.storage().v1().storageClasses().withName("local-path").get()).isNotNull();
    }
  }

  @Test
  void reportsTheConfiguredK3sVersionAndMarksItSimulated() {
    try (KubeSandbox sandbox =
        KubeSandbox.start(
            SandboxOptions.defaults().withNodes(0).withKubernetesVersion("v1.30.8+k3s1"))) {
      VersionInfo version = sandbox.client().getKubernetesVersion();
      assertThat(version.getGitVersion()).isEqualTo("v1.30.8+k3s1");
      assertThat(version.getMajor()).isEqualTo("1");
      assertThat(version.getMinor()).isEqualTo("30");
      assertThat(version.getGitTreeState()).isEqualTo("simulated");
    }
  }

  @Test
  void kubeconfigFileConnectsAnotherClient(@TempDir Path dir) throws Exception {
    try (KubeSandbox sandbox = KubeSandbox.start(SandboxOptions.defaults().withNodes(1))) {
      Path file = sandbox.writeKubeconfig(dir.resolve("nested/kubeconfig"));
      Config config = Config.fromKubeconfig(Files.readString(file));
      assertThat(config.getCurrentContext().getName()).isEqualTo("runnel-sandbox");
      try (KubernetesClient other = new KubernetesClientBuilder().withConfig(config).build()) {
        assertThat(other.nodes().list().getItems()).hasSize(1);
        assertThat(other.getMasterUrl().toString()).startsWith(sandbox.baseUrl());
      }
    }
  }

  @Test
  void stopsServing() {
    KubeSandbox sandbox =
        KubeSandbox.start(SandboxOptions.defaults().withNodes(0).withPodReadyDelay(Duration.ZERO));
    Config config = Config.fromKubeconfig(sandbox.kubeconfig());
    sandbox.close();
    try (KubernetesClient other =
        new KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(config)
                    .withRequestRetryBackoffLimit(0)
                    .withConnectionTimeout(2000)
                    .build())
            .build()) {
      assertThatThrownBy(() -> other.namespaces().list())
          .isInstanceOf(KubernetesClientException.class);
    }
  }
}
