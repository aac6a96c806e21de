package dev.runnel.deploy.instance.adapter.out.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeFitTest {
  private static final BigDecimal GIB = BigDecimal.valueOf(1024L * 1024 * 1024);

  private static NodeFit twoNodesWithOneAndAHalfCpuFreeEach() {
    NodeFit fit = new NodeFit();
    fit.node("node-a", new BigDecimal("2"), GIB.multiply(BigDecimal.valueOf(4)));
    fit.node("node-b", new BigDecimal("2"), GIB.multiply(BigDecimal.valueOf(4)));
    fit.bound("node-a", new BigDecimal("0.5"), GIB);
    fit.bound("node-b", new BigDecimal("0.5"), GIB);
    return fit;
  }

  private static Requests.PodRequest pod(String cpu, long copies) {
    return new Requests.PodRequest("Deployment/web", new BigDecimal(cpu), GIB, copies, false);
  }

  @Test
  void aPodLargerThanAnyNodesFreeRoomDoesNotFitThoughTheSumWould() {
    String problem = twoNodesWithOneAndAHalfCpuFreeEach().place(List.of(pod("2", 1)));

    assertThat(problem)
        .isEqualTo(
            "a pod of Deployment/web requests 2 CPU and 1024 MiB, and no schedulable node has"
                + " that much free (the most CPU free is 1.5 CPU and 3072 MiB on node-a)");
  }

  @Test
  void podsThatFitOneNodeEachArePlacedAcrossTheNodes() {
    assertThat(twoNodesWithOneAndAHalfCpuFreeEach().place(List.of(pod("1", 2)))).isNull();
    assertThat(twoNodesWithOneAndAHalfCpuFreeEach().place(List.of(pod("1", 3)))).isNotNull();
  }

  @Test
  void theBiggestPodsArePlacedFirst() {
    // Placed in the given order, the small pods would take a node each and leave no room for the
    // big one; biggest first, all three fit.
    assertThat(twoNodesWithOneAndAHalfCpuFreeEach().place(List.of(pod("0.5", 2), pod("1.5", 1))))
        .isNull();
  }

  @Test
  void podsOfInstallsInProgressTakeTheirRoomFirst() {
    NodeFit fit = twoNodesWithOneAndAHalfCpuFreeEach();
    fit.hold(List.of(pod("1.5", 1)));

    assertThat(fit.place(List.of(pod("1", 1)))).isNull();
    assertThat(fit.place(List.of(pod("1", 1)))).contains("no schedulable node has that much free");
  }

  @Test
  void aDaemonSetsPodNeedsRoomOnEveryNode() {
    NodeFit fit = twoNodesWithOneAndAHalfCpuFreeEach();
    fit.bound("node-b", new BigDecimal("1.25"), BigDecimal.ZERO);
    Requests.PodRequest agent =
        new Requests.PodRequest("DaemonSet/agent", new BigDecimal("0.5"), GIB, 2, true);

    assertThat(fit.place(List.of(agent)))
        .isEqualTo(
            "the pod of DaemonSet/agent, which runs on every node, requests 0.5 CPU and 1024"
                + " MiB, and node node-b has 0.25 CPU and 3072 MiB free");
  }
}
