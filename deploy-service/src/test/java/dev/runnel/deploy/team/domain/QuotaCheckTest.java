package dev.runnel.deploy.team.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaCheckTest {
  private static final BigDecimal DEFAULT_CPU = new BigDecimal("0.1");
  private static final BigDecimal DEFAULT_MEMORY = BigDecimal.valueOf(128L << 20);

  private static Map<String, Object> deployment(int replicas, Map<String, Object> requests) {
    Map<String, Object> container =
        requests == null
            ? Map.of("name", "app")
            : Map.of("name", "app", "resources", Map.of("requests", requests));
    return Map.of(
        "kind",
        "Deployment",
        "spec",
        Map.of(
            "replicas",
            replicas,
            "template",
            Map.of("spec", Map.of("containers", List.of(container)))));
  }

  private static ResourceUsage usage(Map<String, Object>... bodies) {
    return ResourceUsage.of(List.of(bodies), DEFAULT_CPU, DEFAULT_MEMORY, 3);
  }

  @Test
  void countsReplicasContainersDefaultsAndClaims() {
    ResourceUsage u =
        usage(
            deployment(3, Map.of("cpu", "250m", "memory", "256Mi")),
            deployment(2, null),
            Map.of(
                "kind",
                "PersistentVolumeClaim",
                "spec",
                Map.of("resources", Map.of("requests", Map.of("storage", "5Gi")))),
            Map.of("kind", "Service", "spec", Map.of("type", "ClusterIP")));
    assertThat(u.cpu()).isEqualByComparingTo("0.95");
    assertThat(u.memory()).isEqualByComparingTo(BigDecimal.valueOf((3 * 256L + 2 * 128L) << 20));
    assertThat(u.storage()).isEqualByComparingTo(BigDecimal.valueOf(5L << 30));
  }

  @Test
  void anInstallPastTheInstanceCountIsShortOfInstances() {
    TeamQuota quota = new TeamQuota(null, null, null, 2);
    assertThat(QuotaCheck.shortages(quota, 1, ResourceUsage.ZERO, ResourceUsage.ZERO, true))
        .isEmpty();
    assertThat(QuotaCheck.shortages(quota, 2, ResourceUsage.ZERO, ResourceUsage.ZERO, true))
        .singleElement()
        .asString()
        .contains("instances: the team has 2 of 2");
    assertThat(QuotaCheck.shortages(quota, 2, ResourceUsage.ZERO, ResourceUsage.ZERO, false))
        .as("an upgrade adds no instance")
        .isEmpty();
  }

  @Test
  void whatOthersUseLeavesLessAndTheMessageSaysHowMuchIsShort() {
    TeamQuota quota = new TeamQuota("2", "1Gi", null, null);
    ResourceUsage others = usage(deployment(1, Map.of("cpu", "1500m", "memory", "512Mi")));
    ResourceUsage wanted = usage(deployment(1, Map.of("cpu", "1", "memory", "256Mi")));
    List<String> short_ = QuotaCheck.shortages(quota, 1, others, wanted, true);
    assertThat(short_)
        .singleElement()
        .asString()
        .contains("CPU requests")
        .contains("needs 1000m")
        .contains("500m left")
        .contains("short by 500m");
    assertThat(
            QuotaCheck.shortages(
                quota,
                1,
                others,
                usage(deployment(1, Map.of("cpu", "500m", "memory", "512Mi"))),
                true))
        .as("exactly what is left fits")
        .isEmpty();
  }
}
