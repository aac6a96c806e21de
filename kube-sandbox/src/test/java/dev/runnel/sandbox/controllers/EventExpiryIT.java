package dev.runnel.sandbox.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.sandbox.Await;
import dev.runnel.sandbox.Fixtures;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventExpiryIT {

  private static final String NS = "expiry";
  private static KubeSandbox sandbox;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    sandbox =
        KubeSandbox.start(
            SandboxOptions.defaults()
                .withNodes(1)
                .withPodReadyDelay(Duration.ZERO)
                .withEventTtl(Duration.ofMinutes(10)));
    client = sandbox.client();
    Fixtures.namespace(client, NS);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void eventsGoWhenNotWrittenAgainWithinTheTimeToLive() {
    client.resource(Fixtures.deployment(NS, "web", 1, "nginx:1.27")).create();
    List<String> early =
        Await.until(() -> names(), n -> n.stream().anyMatch(e -> e.startsWith("web-"))).stream()
            .toList();
    Set<String> deleted = ConcurrentHashMap.newKeySet();
    try (Watch watch =
        client
            .v1()
            .events()
            .inNamespace(NS)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Event event) {
                    if (action == Action.DELETED) {
                      deleted.add(event.getMetadata().getName());
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      sandbox.advanceClock(Duration.ofMinutes(5));
      client
          .v1()
          .events()
          .inNamespace(NS)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName("later")
                  .endMetadata()
                  .withReason("Noted")
                  .withType("Normal")
                  .withNewInvolvedObject()
                  .withKind("Deployment")
                  .withName("web")
                  .withNamespace(NS)
                  .endInvolvedObject()
                  .build())
          .create();

      // 11 minutes after the first Events, 6 after "later": only the first are past 10 minutes.
      sandbox.advanceClock(Duration.ofMinutes(6));

      Await.until(() -> names(), n -> n.stream().noneMatch(early::contains));
      assertThat(names()).contains("later");
      Await.until(() -> Set.copyOf(deleted), d -> d.containsAll(early));
      assertThat(deleted).doesNotContain("later");
    }
  }

  private static List<String> names() {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .map(e -> e.getMetadata().getName())
        .toList();
  }
}
