package dev.runnel.deploy.instance.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.health.Health;
import dev.runnel.health.HealthStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstanceHealthTest {
  private static final ManifestObject DEPLOYMENT =
      new ManifestObject("apps/v1", "Deployment", "ns", "web", Map.of());
  private static final ManifestObject SERVICE =
      new ManifestObject("v1", "Service", "ns", "web", Map.of());

  private static LiveObject live(String kind, String name, HealthStatus status, String message) {
    return new LiveObject("v1", kind, name, new Health(status, message));
  }

  @Test
  void theWorstObjectDecidesAndAnAbsentOneIsMissing() {
    HealthSnapshot s =
        InstanceHealth.of(
            List.of(DEPLOYMENT, SERVICE),
            Map.of(
                "Deployment/web", live("Deployment", "web", HealthStatus.PROGRESSING, "rolling")),
            true,
            Set.of());
    assertThat(s.status()).isEqualTo(HealthStatus.MISSING);
    assertThat(s.reason()).startsWith("Service/web: ");
  }

  @Test
  void aDegradedPodOfItsOwnMakesTheInstanceDegradedUnlessItIsAnOlderOne() {
    Map<String, LiveObject> live =
        Map.of(
            "Deployment/web", live("Deployment", "web", HealthStatus.PROGRESSING, "rolling"),
            "Service/web", live("Service", "web", HealthStatus.HEALTHY, ""),
            "Pod/web-1", live("Pod", "web-1", HealthStatus.DEGRADED, "CrashLoopBackOff"));
    assertThat(InstanceHealth.of(List.of(DEPLOYMENT, SERVICE), live, true, Set.of()).status())
        .isEqualTo(HealthStatus.DEGRADED);
    assertThat(
            InstanceHealth.of(List.of(DEPLOYMENT, SERVICE), live, true, Set.of("web-1")).status())
        .isEqualTo(HealthStatus.PROGRESSING);
    assertThat(InstanceHealth.of(List.of(DEPLOYMENT, SERVICE), live, false, Set.of()).status())
        .isEqualTo(HealthStatus.PROGRESSING);
  }

  @Test
  void everythingHealthyIsHealthyWithNoReason() {
    HealthSnapshot s =
        InstanceHealth.of(
            List.of(SERVICE),
            Map.of("Service/web", live("Service", "web", HealthStatus.HEALTHY, "")),
            true,
            Set.of());
    assertThat(s.status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(s.reason()).isEmpty();
  }
}
