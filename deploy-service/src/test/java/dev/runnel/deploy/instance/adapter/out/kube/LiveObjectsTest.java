package dev.runnel.deploy.instance.adapter.out.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import org.junit.jupiter.api.Test;

class LiveObjectsTest {

  @Test
  void aListAnsweredBeforeAnEventDoesNotTakeItsPlace() {
    LiveObjects live = new LiveObjects();
    live.watched(false, deployment("2", "available"));

    live.listed(deployment("1", "progressing"));

    assertThat(live.now().get("Deployment/web").getMetadata().getResourceVersion()).isEqualTo("2");
  }

  @Test
  void aListDoesNotReviveAnObjectAWatchSawDeleted() {
    LiveObjects live = new LiveObjects();
    live.watched(true, deployment("2", "gone"));

    live.listed(deployment("1", "progressing"));

    assertThat(live.now()).isEmpty();
  }

  @Test
  void listedObjectsCountUntilAnEventSaysMore() {
    LiveObjects live = new LiveObjects();
    live.listed(deployment("1", "progressing"));
    assertThat(live.now()).containsKey("Deployment/web");

    live.watched(false, deployment("2", "available"));
    assertThat(live.now().get("Deployment/web").getMetadata().getResourceVersion()).isEqualTo("2");

    live.watched(true, deployment("3", "gone"));
    live.watched(false, deployment("4", "recreated"));
    assertThat(live.now().get("Deployment/web").getMetadata().getResourceVersion()).isEqualTo("4");
  }

  private static GenericKubernetesResource deployment(String resourceVersion, String state) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withNewMetadata()
        .withName("web")
        .withResourceVersion(resourceVersion)
        .addToAnnotations("state", state)
        .endMetadata()
        .build();
  }
}
