package dev.runnel.health;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HorizontalPodAutoscalers of every API version. autoscaling/v1 keeps its conditions as JSON in an
 * annotation; later versions keep them in {@code status.conditions}. The first condition that names
 * a known failure or a known healthy state decides.
 */
final class AutoscalerChecks {
  static final String V1_CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";

  private static final Set<String> DEGRADED =
      Set.of(
          "AbleToScale/FailedGetScale",
          "AbleToScale/FailedUpdateScale",
          "ScalingActive/FailedGetResourceMetric",
          "ScalingActive/InvalidSelector");

  private static final Set<String> HEALTHY =
      Set.of(
          "AbleToScale/SucceededRescale",
          "ScalingLimited/DesiredWithinRange",
          "ScalingLimited/TooFewReplicas",
          "ScalingLimited/TooManyReplicas");

  private static final Health WAITING =
      new Health(HealthStatus.PROGRESSING, "Waiting to Autoscale");

  private AutoscalerChecks() {}

  /**
   * @param v1Conditions the annotation's conditions already parsed by the caller (which owns the
   *     JSON parser), or null when the object is not autoscaling/v1 or has no annotation
   */
  static Health autoscaler(KubeObject hpa, List<?> v1Conditions) {
    List<KubeObject> conditions =
        "v1".equals(hpa.version())
            ? (v1Conditions == null
                ? List.of()
                : v1Conditions.stream()
                    .filter(Map.class::isInstance)
                    .map(c -> new KubeObject((Map<String, ?>) c))
                    .toList())
            : hpa.objects("status", "conditions");
    for (KubeObject condition : conditions) {
      String key = condition.string("type") + "/" + condition.string("reason");
      if (DEGRADED.contains(key)) {
        return new Health(HealthStatus.DEGRADED, condition.string("message"));
      }
      if (HEALTHY.contains(key)) {
        return new Health(HealthStatus.HEALTHY, condition.string("message"));
      }
    }
    return WAITING;
  }
}
