package dev.runnel.sandbox.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.sandbox.Await;
import dev.runnel.sandbox.Fixtures;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MetricsAndLogsIT {

  private static final String NS = "observe";
  private static KubeSandbox sandbox;
  private static KubernetesClient client;
  private static Pod pod;

  @BeforeAll
  static void start() {
    sandbox =
        KubeSandbox.start(SandboxOptions.defaults().withNodes(2).withPodReadyDelay(Duration.ZERO));
    client = sandbox.client();
    Fixtures.namespace(client, NS);
    client.resource(Fixtures.deployment(NS, "web", 2, "nginx:1.27", "200m")).create();
    pod =
        Await.until(
                () -> client.pods().inNamespace(NS).withLabel("app", "web").list().getItems(),
                l ->
                    l.size() == 2
                        && l.stream()
                            .allMatch(
                                p ->
                                    p.getStatus() != null
                                        && "Running".equals(p.getStatus().getPhase())))
            .get(0);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void podMetricsStayWithinWhatTheContainersRequested() {
    PodMetrics metrics = client.top().pods().metrics(NS, pod.getMetadata().getName());

    Quantity cpu = metrics.getContainers().get(0).getUsage().get("cpu");
    BigDecimal cores = Quantity.getAmountInBytes(cpu);
    assertThat(cores).isGreaterThan(BigDecimal.ZERO).isLessThanOrEqualTo(new BigDecimal("0.2"));
    assertThat(Quantity.getAmountInBytes(metrics.getContainers().get(0).getUsage().get("memory")))
        .isGreaterThan(BigDecimal.ZERO);
    assertThat(client.top().pods().metrics(NS).getItems()).hasSize(2);
  }

  @Test
  void nodeMetricsIncludeTheirPodsAndSystemOverhead() {
    List<NodeMetrics> nodes = client.top().nodes().metrics().getItems();

    assertThat(nodes).hasSize(2);
    NodeMetrics busy =
        nodes.stream()
            .filter(n -> n.getMetadata().getName().equals(pod.getSpec().getNodeName()))
            .findFirst()
            .orElseThrow();
    assertThat(Quantity.getAmountInBytes(busy.getUsage().get("cpu")))
        .isGreaterThan(new BigDecimal("0.1"));
  }

  @Test
  void podLogsHaveSyntheticLinesAndHonourTailAndFollow() throws Exception {
    String name = pod.getMetadata().getName();
    String log = client.pods().inNamespace(NS).withName(name).getLog();
    assertThat(log).contains("simulated container web (nginx:1.27) started in pod observe/" + name);

    sandbox.advanceClock(Duration.ofSeconds(30));
    String tail = client.pods().inNamespace(NS).withName(name).tailingLines(2).getLog();
    assertThat(tail.lines().toList())
        .hasSize(2)
        .allSatisfy(l -> assertThat(l).contains("GET /healthz"));

    String stamped = client.pods().inNamespace(NS).withName(name).usingTimestamps().getLog();
    assertThat(stamped.lines().findFirst().orElseThrow()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z .*");

    try (var watch = client.pods().inNamespace(NS).withName(name).watchLog();
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
      // LogFollowIT covers the stream; here only that following starts at the first line.
      assertThat(reader.readLine()).contains("started in pod observe/" + name);
    }
  }

  @Test
  void logsOfAMissingPodAreNotFound() {
    assertThatThrownBy(() -> client.pods().inNamespace(NS).withName("nope").getLog())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }
}
