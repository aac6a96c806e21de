package dev.runnel.sandbox.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.sandbox.Await;
import dev.runnel.sandbox.Fixtures;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeploymentIT {

  private static final String NS = "shop";
  private static KubeSandbox sandbox;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    sandbox =
        KubeSandbox.start(SandboxOptions.defaults().withNodes(3).withPodReadyDelay(Duration.ZERO));
    client = sandbox.client();
    Fixtures.namespace(client, NS);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void aDeploymentBecomesAvailableThroughAReplicaSetAndRunningPods() {
    client.resource(Fixtures.deployment(NS, "web", 3, "nginx:1.27")).create();

    Deployment ready = awaitDeployment("web", d -> readyAt(d, 3, "nginx:1.27"));

    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(ready.getStatus().getUpdatedReplicas()).isEqualTo(3);
    assertThat(ready.getStatus().getAvailableReplicas()).isEqualTo(3);
    assertThat(condition(ready, "Available").getStatus()).isEqualTo("True");
    assertThat(condition(ready, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
    List<ReplicaSet> sets = replicaSets("web");
    assertThat(sets).hasSize(1);
    String hash = sets.get(0).getMetadata().getLabels().get("pod-template-hash");
    assertThat(sets.get(0).getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(sets.get(0).getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "1");
    List<Pod> pods = pods("web");
    assertThat(pods).hasSize(3);
    assertThat(pods)
        .allSatisfy(
            p -> {
              assertThat(p.getMetadata().getName()).startsWith("web-" + hash + "-");
              assertThat(p.getStatus().getPhase()).isEqualTo("Running");
              assertThat(p.getSpec().getNodeName()).startsWith("sandbox-node-");
              assertThat(p.getStatus().getPodIP()).startsWith("10.42.");
              assertThat(p.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
            });
    assertThat(pods).extracting(p -> p.getSpec().getNodeName()).doesNotHaveDuplicates();
    assertThat(events("web-" + hash)).extracting(Event::getReason).contains("SuccessfulCreate");
  }

  @Test
  void aTemplateChangeRollsOutANewReplicaSetAndScalesTheOldOneDown() {
    client.resource(Fixtures.deployment(NS, "api", 2, "api:1")).create();
    awaitDeployment("api", d -> readyAt(d, 2, "api:1"));

    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("api")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("api:2");
              return d;
            });

    Deployment rolled = awaitDeployment("api", d -> readyAt(d, 2, "api:2"));
    assertThat(rolled.getStatus().getObservedGeneration()).isEqualTo(2L);
    List<ReplicaSet> sets = replicaSets("api");
    assertThat(sets).hasSize(2);
    assertThat(sets)
        .extracting(
            rs ->
                rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")
                    + ":"
                    + rs.getSpec().getReplicas())
        .containsExactlyInAnyOrder("1:0", "2:2");
    assertThat(events("api"))
        .extracting(Event::getMessage)
        .anyMatch(m -> m.startsWith("Scaled down replica set api-"));

    // Going back to the first template reuses its ReplicaSet under a new revision.
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("api")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("api:1");
              return d;
            });
    awaitDeployment("api", d -> readyAt(d, 2, "api:1"));
    assertThat(replicaSets("api"))
        .extracting(
            rs ->
                rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()
                    + "@"
                    + rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")
                    + ":"
                    + rs.getSpec().getReplicas())
        .containsExactlyInAnyOrder("api:1@3:2", "api:2@2:0");
  }

  @Test
  void aRollingUpdateMovesInStepsOfMaxSurge() {
    Deployment stepped = Fixtures.deployment(NS, "stepped", 3, "stepped:1");
    stepped
        .getSpec()
        .setStrategy(
            new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withNewMaxSurge(1)
                .withNewMaxUnavailable(0)
                .endRollingUpdate()
                .build());
    client.resource(stepped).create();
    awaitDeployment("stepped", d -> readyAt(d, 3, "stepped:1"));

    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("stepped")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("stepped:2");
              return d;
            });
    awaitDeployment("stepped", d -> readyAt(d, 3, "stepped:2"));

    String newSet =
        replicaSets("stepped").stream()
            .filter(rs -> rs.getSpec().getReplicas() == 3)
            .findFirst()
            .orElseThrow()
            .getMetadata()
            .getName();
    List<String> messages = events("stepped").stream().map(Event::getMessage).toList();
    assertThat(messages)
        .contains("Scaled up replica set " + newSet + " from 0 to 1")
        .doesNotContain("Scaled up replica set " + newSet + " from 0 to 3");
  }

  @Test
  void scalingChangesThePodCount() {
    client.resource(Fixtures.deployment(NS, "scaled", 1, "worker:1")).create();
    awaitDeployment("scaled", d -> readyAt(d, 1, "worker:1"));

    client.apps().deployments().inNamespace(NS).withName("scaled").scale(4);
    awaitDeployment("scaled", d -> readyAt(d, 4, "worker:1"));

    client.apps().deployments().inNamespace(NS).withName("scaled").scale(2);
    awaitDeployment("scaled", d -> readyAt(d, 2, "worker:1"));
  }

  @Test
  void deletingADeploymentDeletesItsReplicaSetsAndPods() {
    client.resource(Fixtures.deployment(NS, "gone", 2, "gone:1")).create();
    awaitDeployment("gone", d -> readyAt(d, 2, "gone:1"));

    client.apps().deployments().inNamespace(NS).withName("gone").delete();

    Await.until(() -> replicaSets("gone").size() + pods("gone").size(), n -> n == 0);
  }

  @Test
  void podsThatFitNowhereStayPendingWithAFailedSchedulingEvent() {
    client.resource(Fixtures.deployment(NS, "huge", 1, "huge:1", "64")).create();

    Pod pending =
        Await.until(
                () -> pods("huge"),
                list ->
                    list.size() == 1
                        && Pods.condition(list.get(0), "PodScheduled")
                            .map(c -> "Unschedulable".equals(c.getReason()))
                            .orElse(false))
            .get(0);

    assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pending.getSpec().getNodeName()).isNull();
    Event event =
        Await.until(
                () -> events(pending.getMetadata().getName()),
                list -> list.stream().anyMatch(e -> "FailedScheduling".equals(e.getReason())))
            .stream()
            .filter(e -> "FailedScheduling".equals(e.getReason()))
            .findFirst()
            .orElseThrow();
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getMessage()).isEqualTo("0/3 nodes are available: 3 Insufficient cpu.");
    Deployment deployment = client.apps().deployments().inNamespace(NS).withName("huge").get();
    assertThat(deployment.getStatus().getReadyReplicas()).isZero();
  }

  static boolean readyAt(Deployment d, int replicas, String image) {
    return d.getStatus() != null
        && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
        && Integer.valueOf(replicas).equals(d.getStatus().getReadyReplicas())
        && Integer.valueOf(replicas).equals(d.getStatus().getReplicas())
        && Integer.valueOf(replicas).equals(d.getStatus().getUpdatedReplicas())
        && "NewReplicaSetAvailable".equals(condition(d, "Progressing").getReason())
        && d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().equals(image)
        && pods(d.getMetadata().getName()).size() == replicas;
  }

  private static Deployment awaitDeployment(
      String name, java.util.function.Predicate<Deployment> p) {
    return Await.until(() -> client.apps().deployments().inNamespace(NS).withName(name).get(), p);
  }

  static DeploymentCondition condition(Deployment d, String type) {
    return d.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(new DeploymentCondition());
  }

  private static List<ReplicaSet> replicaSets(String app) {
    return client.apps().replicaSets().inNamespace(NS).withLabel("app", app).list().getItems();
  }

  private static List<Pod> pods(String app) {
    return client.pods().inNamespace(NS).withLabel("app", app).list().getItems();
  }

  private static List<Event> events(String involvedName) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> e.getInvolvedObject().getName().startsWith(involvedName))
        .toList();
  }
}
