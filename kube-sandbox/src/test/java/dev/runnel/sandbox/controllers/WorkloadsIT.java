package dev.runnel.sandbox.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.sandbox.Await;
import dev.runnel.sandbox.Fixtures;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WorkloadsIT {

  private static final String NS = "workloads";
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
  void aStatefulSetGetsOrdinalPodsWithBoundClaims() {
    StatefulSet sts =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withName("db")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .withReplicas(3)
            .withServiceName("db")
            .withNewSelector()
            .addToMatchLabels("app", "db")
            .endSelector()
            .withTemplate(Fixtures.template("db", "postgres:17", "100m"))
            .addNewVolumeClaimTemplate()
            .withNewMetadata()
            .withName("data")
            .endMetadata()
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withNewResources()
            .addToRequests("storage", new Quantity("5Gi"))
            .endResources()
            .endSpec()
            .endVolumeClaimTemplate()
            .endSpec()
            .build();
    client.resource(sts).create();

    StatefulSet ready =
        Await.until(
            () -> client.apps().statefulSets().inNamespace(NS).withName("db").get(),
            s ->
                s.getStatus() != null
                    && Integer.valueOf(3).equals(s.getStatus().getReadyReplicas()));

    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(client.pods().inNamespace(NS).withLabel("app", "db").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("db-0", "db-1", "db-2");
    Pod first = client.pods().inNamespace(NS).withName("db-0").get();
    assertThat(first.getSpec().getVolumes())
        .anySatisfy(
            v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("data-db-0"));
    PersistentVolumeClaim claim =
        Await.until(
            () -> client.persistentVolumeClaims().inNamespace(NS).withName("data-db-2").get(),
            c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()));
    PersistentVolume volume =
        client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
    assertThat(volume.getSpec().getCapacity().get("storage")).isEqualTo(new Quantity("5Gi"));
    assertThat(volume.getSpec().getStorageClassName()).isEqualTo("local-path");

    client.apps().statefulSets().inNamespace(NS).withName("db").scale(1);
    Await.until(
        () -> client.pods().inNamespace(NS).withLabel("app", "db").list().getItems(),
        pods -> pods.size() == 1 && pods.get(0).getMetadata().getName().equals("db-0"));
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("data-db-2").get())
        .isNotNull();
  }

  @Test
  void aDaemonSetRunsOnePodPerNode() {
    DaemonSet ds =
        new DaemonSetBuilder()
            .withNewMetadata()
            .withName("agent")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .withNewSelector()
            .addToMatchLabels("app", "agent")
            .endSelector()
            .withTemplate(Fixtures.template("agent", "agent:1", "10m"))
            .endSpec()
            .build();
    client.resource(ds).create();

    DaemonSet ready =
        Await.until(
            () -> client.apps().daemonSets().inNamespace(NS).withName("agent").get(),
            d ->
                d.getStatus() != null && Integer.valueOf(3).equals(d.getStatus().getNumberReady()));

    assertThat(ready.getStatus().getDesiredNumberScheduled()).isEqualTo(3);
    assertThat(client.pods().inNamespace(NS).withLabel("app", "agent").list().getItems())
        .extracting(p -> p.getSpec().getNodeName())
        .containsExactlyInAnyOrder("sandbox-node-0", "sandbox-node-1", "sandbox-node-2");
  }

  @Test
  void aJobRunsItsPodsToCompletion() {
    client.resource(job("batch", 2)).create();

    Job done =
        Await.until(
            () -> client.batch().v1().jobs().inNamespace(NS).withName("batch").get(),
            JobController::finished);

    assertThat(done.getStatus().getSucceeded()).isEqualTo(2);
    assertThat(done.getStatus().getCompletionTime()).isNotNull();
    assertThat(done.getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Complete=True"));
    List<Pod> pods = client.pods().inNamespace(NS).withLabel("job-name", "batch").list().getItems();
    assertThat(pods)
        .hasSize(2)
        .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded"));
  }

  @Test
  void aCronJobCreatesJobsOnScheduleUnlessSuspended() {
    CronJob cron =
        new CronJobBuilder()
            .withNewMetadata()
            .withName("nightly")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .withSchedule("*/5 * * * *")
            .withNewJobTemplate()
            .withSpec(job("ignored", 1).getSpec())
            .endJobTemplate()
            .endSpec()
            .build();
    client.resource(cron).create();

    sandbox.advanceClock(Duration.ofMinutes(6));
    Job job =
        Await.until(
            () ->
                client.batch().v1().jobs().inNamespace(NS).list().getItems().stream()
                    .filter(j -> j.getMetadata().getName().startsWith("nightly-"))
                    .findFirst()
                    .orElse(null),
            JobController::finished);
    assertThat(job.getMetadata().getName()).matches("nightly-\\d+");
    CronJob scheduled =
        Await.until(
            () -> client.batch().v1().cronjobs().inNamespace(NS).withName("nightly").get(),
            c -> c.getStatus() != null && c.getStatus().getLastSuccessfulTime() != null);
    assertThat(scheduled.getStatus().getLastScheduleTime()).isNotNull();

    client
        .batch()
        .v1()
        .cronjobs()
        .inNamespace(NS)
        .withName("nightly")
        .edit(
            c -> {
              c.getSpec().setSuspend(true);
              return c;
            });
    // A second, active CronJob proves that a controller pass ran after the clock moved.
    client
        .resource(new CronJobBuilder(cron).editMetadata().withName("witness").endMetadata().build())
        .create();
    sandbox.advanceClock(Duration.ofMinutes(10));
    Await.until(() -> jobsStartingWith("witness-"), jobs -> !jobs.isEmpty());

    assertThat(jobsStartingWith("nightly-")).hasSize(1);
    assertThat(
            client
                .batch()
                .v1()
                .cronjobs()
                .inNamespace(NS)
                .withName("nightly")
                .get()
                .getStatus()
                .getLastScheduleTime())
        .isEqualTo(scheduled.getStatus().getLastScheduleTime());
  }

  private static List<Job> jobsStartingWith(String prefix) {
    return client.batch().v1().jobs().inNamespace(NS).list().getItems().stream()
        .filter(j -> j.getMetadata().getName().startsWith(prefix))
        .toList();
  }

  @Test
  void loadBalancersAndIngressesGetTheNodeAddresses() {
    Service lb =
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
            .endPort()
            .endSpec()
            .build();
    client.resource(lb).create();
    Ingress ingress =
        new IngressBuilder()
            .withNewMetadata()
            .withName("front")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .addNewRule()
            .withHost("shop.example.test")
            .endRule()
            .endSpec()
            .build();
    client.resource(ingress).create();

    Service published =
        Await.until(
            () -> client.services().inNamespace(NS).withName("front").get(),
            s ->
                s.getStatus() != null
                    && s.getStatus().getLoadBalancer() != null
                    && s.getStatus().getLoadBalancer().getIngress() != null
                    && !s.getStatus().getLoadBalancer().getIngress().isEmpty());
    assertThat(published.getStatus().getLoadBalancer().getIngress())
        .extracting(i -> i.getIp())
        .hasSize(3)
        .allSatisfy(ip -> assertThat(ip).startsWith("10.0."));
    Ingress addressed =
        Await.until(
            () -> client.network().v1().ingresses().inNamespace(NS).withName("front").get(),
            i ->
                i.getStatus() != null
                    && i.getStatus().getLoadBalancer() != null
                    && i.getStatus().getLoadBalancer().getIngress() != null
                    && !i.getStatus().getLoadBalancer().getIngress().isEmpty());
    assertThat(addressed.getStatus().getLoadBalancer().getIngress().get(0).getIp())
        .startsWith("10.0.");
  }

  @Test
  void aStandaloneClaimIsProvisionedAndBound() {
    PersistentVolumeClaim claim =
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName("uploads")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withNewResources()
            .addToRequests("storage", new Quantity("2Gi"))
            .endResources()
            .endSpec()
            .build();
    client.resource(claim).create();

    PersistentVolumeClaim bound =
        Await.until(
            () -> client.persistentVolumeClaims().inNamespace(NS).withName("uploads").get(),
            c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()));
    assertThat(bound.getStatus().getCapacity().get("storage")).isEqualTo(new Quantity("2Gi"));
    assertThat(bound.getSpec().getVolumeName()).isEqualTo("pvc-" + bound.getMetadata().getUid());
  }

  private static Job job(String name, int completions) {
    PodTemplateSpec template = Fixtures.template(name, "busybox:1.37", "10m");
    template.getSpec().setRestartPolicy("Never");
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withNewSpec()
        .withCompletions(completions)
        .withParallelism(2)
        .withTemplate(template)
        .endSpec()
        .build();
  }
}
