package dev.runnel.deploy.health.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.deploy.instance.domain.HealthSnapshot;
import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.instance.domain.InstanceState;
import dev.runnel.deploy.instance.domain.ObjectHealth;
import dev.runnel.health.HealthStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HealthChangeTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  private static Instance instance(InstanceState state, HealthStatus health) {
    return Instance.installing(
            UUID.randomUUID(),
            "team-a",
            "c1",
            "team-a",
            "web",
            "fixtures",
            "nginx",
            "1.0.0",
            "",
            NOW)
        .with(state, health, NOW);
  }

  private static ObjectHealth object(String kind, HealthStatus status, String message) {
    return new ObjectHealth("apps/v1", kind, "web", status, message, List.of());
  }

  @Test
  void aDifferentStatusIsAChangeListingWhatIsNotHealthy() {
    Instance stored = instance(InstanceState.RUNNING, HealthStatus.HEALTHY);
    HealthSnapshot now =
        new HealthSnapshot(
            HealthStatus.DEGRADED,
            "Pod/web: CrashLoopBackOff",
            List.of(
                object("Deployment", HealthStatus.PROGRESSING, "waiting"),
                object("Service", HealthStatus.HEALTHY, ""),
                object("Pod", HealthStatus.DEGRADED, "CrashLoopBackOff")));

    HealthChange change = HealthChange.between(stored, now).orElseThrow();

    assertThat(change.previous()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(change.current()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(change.reason()).isEqualTo("Pod/web: CrashLoopBackOff");
    assertThat(change.unhealthy())
        .extracting(ObjectHealth::kind)
        .containsExactly("Deployment", "Pod");
  }

  @Test
  void theSameStatusIsNoChangeEvenWhenObjectsMoved() {
    Instance stored = instance(InstanceState.RUNNING, HealthStatus.PROGRESSING);
    HealthSnapshot now =
        new HealthSnapshot(
            HealthStatus.PROGRESSING,
            "Deployment/web: other message",
            List.of(object("Deployment", HealthStatus.PROGRESSING, "other message")));

    assertThat(HealthChange.between(stored, now)).isEmpty();
  }

  @Test
  void stoppedInstallingAndDeletedInstancesAreNotTheWatchsToChange() {
    HealthSnapshot healthy = new HealthSnapshot(HealthStatus.HEALTHY, "", List.of());
    for (InstanceState state :
        List.of(
            InstanceState.STOPPED,
            InstanceState.INSTALLING,
            InstanceState.DELETING,
            InstanceState.DELETED)) {
      assertThat(HealthChange.between(instance(state, HealthStatus.SUSPENDED), healthy))
          .as("state %s", state)
          .isEmpty();
    }
    assertThat(HealthChange.between(instance(InstanceState.FAILED, HealthStatus.DEGRADED), healthy))
        .isPresent();
  }

  @Test
  void anUnreachableClusterMakesHealthUnknownOnce() {
    Instance stored = instance(InstanceState.RUNNING, HealthStatus.HEALTHY);
    HealthChange change = HealthChange.unreachable(stored, "c1").orElseThrow();
    assertThat(change.current()).isEqualTo(HealthStatus.UNKNOWN);
    assertThat(change.reason()).contains("'c1'", "unreachable", "Healthy");

    assertThat(
            HealthChange.unreachable(instance(InstanceState.RUNNING, HealthStatus.UNKNOWN), "c1"))
        .isEmpty();
  }
}
