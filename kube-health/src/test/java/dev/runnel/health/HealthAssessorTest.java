package dev.runnel.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HealthAssessorTest {

  private static Health health(String manifest) {
    return HealthAssessor.assess(manifest).orElseThrow();
  }

  @Nested
  class Deployments {
    private static final String ROLLED_OUT =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, generation: 2}
        spec: {replicas: 2%s}
        status: {observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: %d}
        """;

    @Test
    void rolledOutAndAvailableIsHealthy() {
      assertThat(health(ROLLED_OUT.formatted("", 2)).status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void updatedButNotYetAvailableIsProgressing() {
      Health h = health(ROLLED_OUT.formatted("", 1));
      assertThat(h.status()).isEqualTo(HealthStatus.PROGRESSING);
      assertThat(h.message()).contains("1 of 2 updated replicas are available");
    }

    @Test
    void pausedIsSuspended() {
      assertThat(health(ROLLED_OUT.formatted(", paused: true", 2)).status())
          .isEqualTo(HealthStatus.SUSPENDED);
    }

    @Test
    void specNotYetObservedIsProgressing() {
      Health h =
          health(
              """
              apiVersion: apps/v1
              kind: Deployment
              metadata: {name: web, generation: 3}
              spec: {replicas: 1}
              status: {observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1}
              """);
      assertThat(h.status()).isEqualTo(HealthStatus.PROGRESSING);
      assertThat(h.message()).contains("observed deployment generation");
    }

    @Test
    void fewerUpdatedThanWantedIsProgressing() {
      Health h =
          health(
              """
              apiVersion: apps/v1
              kind: Deployment
              metadata: {name: web, generation: 1}
              spec: {replicas: 3}
              status: {observedGeneration: 1, replicas: 3, updatedReplicas: 1, availableReplicas: 3}
              """);
      assertThat(h.status()).isEqualTo(HealthStatus.PROGRESSING);
      assertThat(h.message()).contains("1 out of 3 new replicas have been updated");
    }

    @Test
    void typedFabric8ObjectIsAssessedLikeItsManifest() {
      var deployment =
          new DeploymentBuilder()
              .withNewMetadata()
              .withName("web")
              .withGeneration(1L)
              .endMetadata()
              .withNewSpec()
              .withReplicas(1)
              .endSpec()
              .withNewStatus()
              .withObservedGeneration(1L)
              .withReplicas(1)
              .withUpdatedReplicas(1)
              .withAvailableReplicas(0)
              .endStatus()
              .build();
      assertThat(HealthAssessor.assess(deployment))
          .hasValueSatisfying(h -> assertThat(h.status()).isEqualTo(HealthStatus.PROGRESSING));
    }
  }

  @Nested
  class StatefulSetsDaemonSetsReplicaSets {
    @Test
    void statefulSetWaitingForReadyPodsIsProgressing() {
      Health h =
          health(
              """
              apiVersion: apps/v1
              kind: StatefulSet
              metadata: {name: db, generation: 1}
              spec: {replicas: 3}
              status: {observedGeneration: 1, readyReplicas: 1, currentRevision: a, updateRevision: a}
              """);
      assertThat(h.status()).isEqualTo(HealthStatus.PROGRESSING);
      assertThat(h.message()).isEqualTo("Waiting for 2 pods to be ready...");
    }

    @Test
    void statefulSetBetweenRevisionsIsProgressingThenHealthy() {
      String sts =
          """
          apiVersion: apps/v1
          kind: StatefulSet
          metadata: {name: db, generation: 2}
          spec: {replicas: 1, updateStrategy: {type: RollingUpdate}}
          status: {observedGeneration: 2, readyReplicas: 1, currentReplicas: 1, updatedReplicas: 1,
            currentRevision: db-1, updateRevision: %s}
          """;
      assertThat(health(sts.formatted("db-2")).status()).isEqualTo(HealthStatus.PROGRESSING);
      assertThat(health(sts.formatted("db-1")).status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void statefulSetPartitionedRolloutCountsOnlyThePartition() {
      String sts =
          """
          apiVersion: apps/v1
          kind: StatefulSet
          metadata: {name: db, generation: 2}
          spec: {replicas: 4, updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}}
          status: {observedGeneration: 2, readyReplicas: 4, updatedReplicas: %d,
            currentRevision: db-1, updateRevision: db-2}
          """;
      assertThat(health(sts.formatted(1)).status()).isEqualTo(HealthStatus.PROGRESSING);
      assertThat(health(sts.formatted(2)).status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void statefulSetNeverObservedIsProgressing() {
      assertThat(
              health(
                      """
                      {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},
                       "spec":{"replicas":1}}
                      """)
                  .status())
          .isEqualTo(HealthStatus.PROGRESSING);
    }

    @Test
    void daemonSetWithUnavailablePodsIsProgressing() {
      String ds =
          """
          apiVersion: apps/v1
          kind: DaemonSet
          metadata: {name: agent, generation: 1}
          status: {observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3,
            numberAvailable: %d}
          """;
      assertThat(health(ds.formatted(2)).message()).contains("2 of 3 updated pods are available");
      assertThat(health(ds.formatted(2)).status()).isEqualTo(HealthStatus.PROGRESSING);
      assertThat(health(ds.formatted(3)).status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void replicaSetWithReplicaFailureIsDegraded() {
      Health h =
          health(
              """
              apiVersion: apps/v1
              kind: ReplicaSet
              metadata: {name: web-1, generation: 1}
              spec: {replicas: 2}
              status:
                observedGeneration: 1
                availableReplicas: 0
                conditions:
                - {type: ReplicaFailure, status: "True", message: 'pods "web-1-x" is forbidden: exceeded quota'}
              """);
      assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(h.message()).contains("exceeded quota");
    }
  }

  @Nested
  class Pods {
    @Test
    void imagePullBackOffOfALongRunningPodIsDegraded() {
      Health h =
          health(
              """
              apiVersion: v1
              kind: Pod
              metadata: {name: web}
              spec: {restartPolicy: Always}
              status:
                phase: Pending
                containerStatuses:
                - name: main
                  state: {waiting: {reason: ImagePullBackOff, message: 'Back-off pulling image "nope"'}}
              """);
      assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(h.message()).isEqualTo("Back-off pulling image \"nope\"");
    }

    @Test
    void imagePullBackOffOfAHookPodIsStillProgressing() {
      assertThat(
              health(
                      """
                      apiVersion: v1
                      kind: Pod
                      metadata: {name: migrate}
                      spec: {restartPolicy: Never}
                      status:
                        phase: Pending
                        containerStatuses:
                        - name: main
                          state: {waiting: {reason: ImagePullBackOff}}
                      """)
                  .status())
          .isEqualTo(HealthStatus.PROGRESSING);
    }

    @Test
    void succeededPodIsHealthyAndReadyRunningPodIsHealthy() {
      assertThat(health(pod("Succeeded", "Never", "False")).status())
          .isEqualTo(HealthStatus.HEALTHY);
      assertThat(health(pod("Running", "Always", "True")).status()).isEqualTo(HealthStatus.HEALTHY);
      assertThat(health(pod("Running", "Always", "False")).status())
          .isEqualTo(HealthStatus.PROGRESSING);
    }

    @Test
    void failedPodSaysWhichContainerFailed() {
      Health h =
          health(
              """
              apiVersion: v1
              kind: Pod
              metadata: {name: job-pod}
              spec: {restartPolicy: Never}
              status:
                phase: Failed
                containerStatuses:
                - name: main
                  state: {terminated: {exitCode: 3, reason: Error}}
              """);
      assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(h.message()).isEqualTo("container \"main\" failed with exit code 3");
    }

    @Test
    void podWithoutStatusIsUnknown() {
      assertThat(
              health(
                      """
                      apiVersion: v1
                      kind: Pod
                      metadata: {name: fresh}
                      spec: {containers: [{name: main, image: nginx}]}
                      """)
                  .status())
          .isEqualTo(HealthStatus.UNKNOWN);
    }

    @Test
    void typedPodBeingDeletedIsProgressing() {
      var pod =
          new PodBuilder()
              .withNewMetadata()
              .withName("going")
              .withDeletionTimestamp("2026-11-23T07:00:00Z")
              .endMetadata()
              .withNewStatus()
              .withPhase("Running")
              .endStatus()
              .build();
      assertThat(HealthAssessor.assess(pod))
          .contains(new Health(HealthStatus.PROGRESSING, "Pending deletion"));
    }

    private static String pod(String phase, String restartPolicy, String ready) {
      return """
          apiVersion: v1
          kind: Pod
          metadata: {name: p}
          spec: {restartPolicy: %s}
          status:
            phase: %s
            conditions: [{type: Ready, status: "%s"}]
          """
          .formatted(restartPolicy, phase, ready);
    }
  }

  @Nested
  class JobsAndCronJobs {
    @Test
    void runningJobIsProgressingAndCompleteJobIsHealthy() {
      String job =
          """
          apiVersion: batch/v1
          kind: Job
          metadata: {name: once}
          status: {conditions: [%s]}
          """;
      assertThat(health(job.formatted("")).status()).isEqualTo(HealthStatus.PROGRESSING);
      assertThat(health(job.formatted("{type: Complete, status: \"True\"}")).status())
          .isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void cronJobWhoseLastRunFailedIsDegraded() {
      Health h =
          health(
              """
              apiVersion: batch/v1
              kind: CronJob
              metadata: {name: nightly}
              spec: {schedule: "0 3 * * *"}
              status: {lastScheduleTime: "2026-11-23T03:00:00Z", lastSuccessfulTime: "2026-11-22T03:00:12Z"}
              """);
      assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void cronJobStates() {
      String cron =
          """
          apiVersion: batch/v1
          kind: CronJob
          metadata: {name: nightly}
          spec: {schedule: "0 3 * * *", suspend: %s}
          %s
          """;
      assertThat(health(cron.formatted("true", "")).status()).isEqualTo(HealthStatus.SUSPENDED);
      assertThat(health(cron.formatted("false", "")).status()).isEqualTo(HealthStatus.PROGRESSING);
      assertThat(health(cron.formatted("false", "status: {}")).message())
          .isEqualTo("CronJob has not been scheduled yet");
      assertThat(
              health(
                      cron.formatted(
                          "false",
                          "status: {lastScheduleTime: '2026-11-23T03:00:00Z',"
                              + " lastSuccessfulTime: '2026-11-23T03:00:09Z'}"))
                  .status())
          .isEqualTo(HealthStatus.HEALTHY);
      assertThat(
              health(
                      cron.formatted(
                          "false",
                          "status: {lastScheduleTime: '2026-11-23T03:00:00Z',"
                              + " lastSuccessfulTime: '2026-11-22T03:00:09Z', active: [{name: j}]}"))
                  .status())
          .isEqualTo(HealthStatus.HEALTHY);
    }
  }

  @Nested
  class ClaimsServicesAutoscalers {
    @Test
    void claimPhases() {
      String pvc =
          "{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: data}, status: {phase: %s}}";
      assertThat(health(pvc.formatted("Pending")).status()).isEqualTo(HealthStatus.PROGRESSING);
      assertThat(health(pvc.formatted("Lost")).status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(health(pvc.formatted("Bound")).status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void loadBalancerWithAnAddressIsHealthy() {
      assertThat(
              health(
                      """
                      apiVersion: v1
                      kind: Service
                      metadata: {name: lb}
                      spec: {type: LoadBalancer}
                      status: {loadBalancer: {ingress: [{ip: 10.0.0.7}]}}
                      """)
                  .status())
          .isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void ingressWithoutAddressIsProgressing() {
      assertThat(
              health(
                      """
                      apiVersion: networking.k8s.io/v1
                      kind: Ingress
                      metadata: {name: web}
                      status: {loadBalancer: {}}
                      """)
                  .status())
          .isEqualTo(HealthStatus.PROGRESSING);
    }

    @Test
    void v1AutoscalerWithUnreadableConditionsIsUnknown() {
      Health h =
          health(
              """
              apiVersion: autoscaling/v1
              kind: HorizontalPodAutoscaler
              metadata:
                name: hpa
                annotations: {autoscaling.alpha.kubernetes.io/conditions: "not json"}
              """);
      assertThat(h.status()).isEqualTo(HealthStatus.UNKNOWN);
      assertThat(h.message()).contains("autoscaling.alpha.kubernetes.io/conditions");
    }

    @Test
    void apiServiceAvailableIsHealthy() {
      Health h =
          health(
              """
              apiVersion: apiregistration.k8s.io/v1
              kind: APIService
              metadata: {name: v1.metrics.k8s.io}
              status: {conditions: [{type: Available, status: "True", reason: Passed, message: all checks passed}]}
              """);
      assertThat(h).isEqualTo(new Health(HealthStatus.HEALTHY, "Passed: all checks passed"));
    }
  }

  @Nested
  class KindsWithoutHealth {
    @Test
    void configMapHasNoHealthUnlessBeingDeleted() {
      var configMap = new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build();
      assertThat(HealthAssessor.assess(configMap)).isEmpty();
      assertThat(HealthAssessor.hasHealth("v1", "ConfigMap")).isFalse();
      assertThat(HealthAssessor.hasHealth("apps/v1", "Deployment")).isTrue();

      configMap.getMetadata().setDeletionTimestamp("2026-11-23T07:00:00Z");
      assertThat(HealthAssessor.assess(configMap))
          .hasValueSatisfying(h -> assertThat(h.status()).isEqualTo(HealthStatus.PROGRESSING));
    }

    @Test
    void customResourceHasNoHealth() {
      GenericKubernetesResource widget =
          Manifests.parseResources(
                  "apiVersion: example.com/v1\nkind: Deployment\nmetadata: {name: w}\n")
              .get(0);
      assertThat(HealthAssessor.assess(widget)).isEmpty();
    }

    @Test
    void genericResourceIsAssessed() {
      GenericKubernetesResource claim =
          Manifests.parseResources(
                  "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: d}\nstatus: {phase: Lost}\n")
              .get(0);
      assertThat(HealthAssessor.assess(claim))
          .hasValueSatisfying(h -> assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED));
    }
  }

  @Nested
  class HostileInput {
    @Test
    void fieldsOfTheWrongTypeDoNotBreakTheAssessment() {
      Health h =
          health(
              """
              apiVersion: apps/v1
              kind: Deployment
              metadata: {name: odd, generation: [1]}
              spec: {replicas: "many"}
              status: {conditions: "none", observedGeneration: {x: 1}, updatedReplicas: "2"}
              """);
      // Unreadable numbers count as absent (0), numeric text is read: 0 of 2 updated are available.
      assertThat(h.status()).isEqualTo(HealthStatus.PROGRESSING);
      assertThat(h.message()).contains("0 of 2 updated replicas are available");
    }

    @Test
    void moreThanOneObjectIsRefusedForASingleAssessment() {
      assertThatThrownBy(
              () ->
                  HealthAssessor.assess(
                      "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n"
                          + "apiVersion: v1\nkind: Service\nmetadata: {name: b}\n"))
          .isInstanceOf(ManifestException.class)
          .hasMessageContaining("exactly one");
    }
  }

  @Test
  void anInstanceIsAsHealthyAsItsWorstObject() {
    Health degraded = new Health(HealthStatus.DEGRADED, "pod crashed");
    List<Health> objects =
        List.of(
            new Health(HealthStatus.HEALTHY, ""),
            new Health(HealthStatus.PROGRESSING, "rolling"),
            degraded,
            HealthAssessor.missing());
    assertThat(Health.worst(objects)).isEqualTo(degraded);
    assertThat(HealthStatus.worst(HealthStatus.SUSPENDED, HealthStatus.HEALTHY))
        .isEqualTo(HealthStatus.SUSPENDED);
    assertThat(Health.worst(List.of()).status()).isEqualTo(HealthStatus.HEALTHY);
  }
}
