package dev.runnel.sandbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.sandbox.Await;
import dev.runnel.sandbox.Fixtures;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WatchIT {

  private static final String NS = "watch";
  private static KubeSandbox sandbox;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    sandbox =
        KubeSandbox.start(SandboxOptions.defaults().withNodes(0).withPodReadyDelay(Duration.ZERO));
    client = sandbox.client();
    Fixtures.namespace(client, NS);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void aWatchSeesAddedModifiedAndDeletedInOrder() {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client.configMaps().inNamespace(NS).withLabel("watched", "yes").watch(recorder(seen))) {
      ConfigMap map =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName("settings")
              .withNamespace(NS)
              .addToLabels("watched", "yes")
              .endMetadata()
              .addToData("a", "1")
              .build();
      client.resource(map).create();
      client
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("other")
                  .withNamespace(NS)
                  .endMetadata()
                  .build())
          .create();
      client
          .configMaps()
          .inNamespace(NS)
          .withName("settings")
          .edit(c -> new ConfigMapBuilder(c).addToData("b", "2").build());
      client.configMaps().inNamespace(NS).withName("settings").delete();

      Await.until(() -> seen, s -> s.size() >= 3);
      assertThat(seen).containsExactly("ADDED settings", "MODIFIED settings", "DELETED settings");
    }
  }

  @Test
  void aWatchByNameIgnoresOtherObjects() {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch watch = client.configMaps().inNamespace(NS).withName("mine").watch(recorder(seen))) {
      client
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("theirs")
                  .withNamespace(NS)
                  .endMetadata()
                  .build())
          .create();
      client
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("mine")
                  .withNamespace(NS)
                  .endMetadata()
                  .build())
          .create();

      Await.until(() -> seen, s -> !s.isEmpty());
      assertThat(seen).containsExactly("ADDED mine");
    }
  }

  private static Watcher<ConfigMap> recorder(List<String> seen) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, ConfigMap resource) {
        seen.add(action + " " + resource.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {
        // The test closes the watch itself; nothing to record.
      }
    };
  }
}
