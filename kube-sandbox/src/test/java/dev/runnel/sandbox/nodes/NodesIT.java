package dev.runnel.sandbox.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.sandbox.Await;
import dev.runnel.sandbox.Fixtures;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodesIT {

  private static final String NS = "nodes";
  private KubeSandbox sandbox;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    sandbox =
        KubeSandbox.start(
            SandboxOptions.defaults()
                .withNodes(2)
                .withNodeCapacity(new NodeCapacity("2", "4Gi", 20))
                .withPodReadyDelay(Duration.ZERO));
    client = sandbox.client();
    Fixtures.namespace(client, NS);
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  @Test
  void nodesLookLikeReadyK3sNodesMarkedSimulated() {
    Node server = client.nodes().withName("sandbox-node-0").get();

    assertThat(server.getMetadata().getLabels())
        .containsEntry("runnel.dev/simulated", "true")
        .containsEntry("kubernetes.io/hostname", "sandbox-node-0")
        .containsEntry("node-role.kubernetes.io/control-plane", "true");
    assertThat(client.nodes().withName("sandbox-node-1").get().getMetadata().getLabels())
        .doesNotContainKey("node-role.kubernetes.io/control-plane");
    assertThat(server.getStatus().getCapacity().get("cpu").toString()).isEqualTo("2");
    assertThat(server.getStatus().getAllocatable().get("pods").toString()).isEqualTo("20");
    assertThat(SimulatedNodes.isReady(server)).isTrue();
    assertThat(server.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.31.4+k3s1");
    assertThat(SimulatedNodes.internalIp(server)).startsWith("10.0.");
  }

  @Test
  void cordonedNodesGetNoNewPodsAndUncordonRestoresThem() {
    sandbox.nodes().cordon("sandbox-node-1");
    client.resource(Fixtures.deployment(NS, "web", 4, "nginx:1")).create();

    List<Pod> pods = awaitRunning("web", 4);
    assertThat(pods)
        .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("sandbox-node-0"));
    assertThat(client.nodes().withName("sandbox-node-1").get().getSpec().getTaints())
        .anySatisfy(t -> assertThat(t.getKey()).isEqualTo("node.kubernetes.io/unschedulable"));

    sandbox.nodes().uncordon("sandbox-node-1");
    client.apps().deployments().inNamespace(NS).withName("web").scale(6);
    assertThat(awaitRunning("web", 6))
        .anySatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("sandbox-node-1"));
  }

  @Test
  void taintsKeepPodsAwayUnlessTolerated() {
    Node tainted =
        sandbox
            .nodes()
            .add(
                "gpu-node",
                new NodeCapacity("8", "16Gi", 50),
                new TaintBuilder()
                    .withKey("gpu")
                    .withValue("true")
                    .withEffect("NoSchedule")
                    .build());
    assertThat(tainted.getSpec().getTaints()).hasSize(1);
    sandbox.nodes().cordon("sandbox-node-0");
    sandbox.nodes().cordon("sandbox-node-1");

    client.resource(Fixtures.deployment(NS, "plain", 1, "plain:1")).create();
    Deployment tolerant = Fixtures.deployment(NS, "cuda", 1, "cuda:1");
    tolerant
        .getSpec()
        .getTemplate()
        .getSpec()
        .setTolerations(
            List.of(
                new io.fabric8.kubernetes.api.model.TolerationBuilder()
                    .withKey("gpu")
                    .withOperator("Equal")
                    .withValue("true")
                    .withEffect("NoSchedule")
                    .build()));
    client.resource(tolerant).create();

    assertThat(awaitRunning("cuda", 1).get(0).getSpec().getNodeName()).isEqualTo("gpu-node");
    Pod plain =
        Await.until(
                () -> pods("plain"),
                l ->
                    l.size() == 1
                        && l.get(0).getStatus() != null
                        && l.get(0).getStatus().getConditions() != null
                        && l.get(0).getStatus().getConditions().stream()
                            .anyMatch(c -> "Unschedulable".equals(c.getReason())))
            .get(0);
    assertThat(plain.getStatus().getConditions())
        .anySatisfy(
            c ->
                assertThat(c.getMessage())
                    .contains("1 node(s) had untolerated taint {gpu: true}")
                    .contains("2 node(s) were unschedulable"));
  }

  @Test
  void aNodeThatGoesNotReadyTakesItsPodsOutOfService() {
    client.resource(Fixtures.deployment(NS, "api", 2, "api:1")).create();
    List<Pod> running = awaitRunning("api", 2);
    String victim = running.get(0).getSpec().getNodeName();

    sandbox.nodes().markNotReady(victim);

    Pod unready =
        Await.until(
            () ->
                client
                    .pods()
                    .inNamespace(NS)
                    .withName(running.get(0).getMetadata().getName())
                    .get(),
            p ->
                p.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "False".equals(c.getStatus())));
    assertThat(unready.getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("NodeNotReady"));
    Node node = client.nodes().withName(victim).get();
    assertThat(SimulatedNodes.isReady(node)).isFalse();
    assertThat(node.getSpec().getTaints())
        .extracting(t -> t.getKey() + ":" + t.getEffect())
        .contains("node.kubernetes.io/unreachable:NoExecute");

    sandbox.nodes().markReady(victim);
    Await.until(
        () -> client.pods().inNamespace(NS).withName(running.get(0).getMetadata().getName()).get(),
        p ->
            p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
  }

  @Test
  void podsOfADeletedNodeAreReplacedElsewhere() {
    client.resource(Fixtures.deployment(NS, "moved", 2, "moved:1")).create();
    List<Pod> running = awaitRunning("moved", 2);
    String lost = running.get(0).getSpec().getNodeName();

    client.nodes().withName(lost).delete();

    List<Pod> replaced =
        Await.until(
            () -> pods("moved"),
            l ->
                l.size() == 2
                    && l.stream()
                        .allMatch(
                            p ->
                                p.getSpec().getNodeName() != null
                                    && !p.getSpec().getNodeName().equals(lost)
                                    && p.getStatus() != null
                                    && "Running".equals(p.getStatus().getPhase())));
    assertThat(replaced)
        .extracting(p -> p.getMetadata().getName())
        .doesNotContain(running.get(0).getMetadata().getName());
  }

  @Test
  void evictionRespectsDisruptionBudgetsAndTheControllerReplacesEvictedPods() {
    client.resource(Fixtures.deployment(NS, "db", 2, "db:1")).create();
    List<Pod> running = awaitRunning("db", 2);
    client
        .resource(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName("db")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withNewMinAvailable(2)
                .withNewSelector()
                .addToMatchLabels("app", "db")
                .endSelector()
                .endSpec()
                .build())
        .create();

    String first = running.get(0).getMetadata().getName();
    assertThat(client.pods().inNamespace(NS).withName(first).evict()).isFalse();

    client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("db").delete();
    assertThat(client.pods().inNamespace(NS).withName(first).evict()).isTrue();
    List<Pod> replaced = awaitRunning("db", 2);
    assertThat(replaced).extracting(p -> p.getMetadata().getName()).doesNotContain(first);
  }

  private List<Pod> pods(String app) {
    return client.pods().inNamespace(NS).withLabel("app", app).list().getItems();
  }

  private List<Pod> awaitRunning(String app, int count) {
    return Await.until(
        () -> pods(app),
        l ->
            l.size() == count
                && l.stream()
                    .allMatch(
                        p ->
                            p.getStatus() != null
                                && "Running".equals(p.getStatus().getPhase())
                                && p.getStatus().getConditions().stream()
                                    .anyMatch(
                                        c ->
                                            "Ready".equals(c.getType())
                                                && "True".equals(c.getStatus()))));
  }
}
