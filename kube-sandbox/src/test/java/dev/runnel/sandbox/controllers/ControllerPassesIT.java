package dev.runnel.sandbox.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.sandbox.Await;
import dev.runnel.sandbox.Fixtures;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How many controller passes a change takes, counted rather than timed: each stage of a pass sees
 * what the stages before it wrote, as real controllers see each other's writes through watches.
 */
class ControllerPassesIT {

  private static final String NS = "quick";
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
  void withZeroReadyDelayOnePassTakesADeploymentFromCreatedToAvailable() {
    long before = settledPasses();

    client.resource(Fixtures.deployment(NS, "web", 3, "nginx:1.27")).create();
    Deployment available =
        Await.until(
            () -> client.apps().deployments().inNamespace(NS).withName("web").get(),
            d ->
                d.getStatus() != null
                    && Integer.valueOf(3).equals(d.getStatus().getAvailableReplicas()));

    assertThat(available.getStatus().getReadyReplicas()).isEqualTo(3);
    // One pass creates the ReplicaSet and its pods, schedules and starts them and reports them
    // ready; the pass under way when the Deployment arrived, the one its own writes ask for and an
    // idle one may come too. One pass per stage, as before, took six.
    assertThat(sandbox.controllerPasses() - before).isLessThanOrEqualTo(4);
  }

  @Test
  void aLoadBalancerServiceGetsItsAddressInThePassItsWriteStarted() {
    long before = settledPasses();

    client
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("front")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withType("LoadBalancer")
                .addToSelector("app", "front")
                .addNewPort()
                .withPort(80)
                .withTargetPort(new IntOrString(8080))
                .endPort()
                .endSpec()
                .build())
        .create();
    Service addressed =
        Await.until(
            () -> client.services().inNamespace(NS).withName("front").get(),
            s ->
                s.getStatus() != null
                    && s.getStatus().getLoadBalancer() != null
                    && !s.getStatus().getLoadBalancer().getIngress().isEmpty());

    assertThat(addressed.getStatus().getLoadBalancer().getIngress().get(0).getIp()).isNotBlank();
    assertThat(sandbox.controllerPasses() - before).isLessThanOrEqualTo(3);
  }

  /** The pass count once the controllers have had nothing to do for a moment. */
  private static long settledPasses() {
    long seen = -1;
    long now = sandbox.controllerPasses();
    while (now != seen) {
      seen = now;
      try {
        Thread.sleep(150);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      now = sandbox.controllerPasses();
    }
    return now;
  }
}
