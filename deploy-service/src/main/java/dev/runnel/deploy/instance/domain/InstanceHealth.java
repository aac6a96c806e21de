package dev.runnel.deploy.instance.domain;

import dev.runnel.health.Health;
import dev.runnel.health.HealthAssessor;
import dev.runnel.health.HealthStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one rule for an instance's health, used by operations while they wait and by the standing
 * watch afterwards: the worst of its rendered objects (absent ones Missing), made worse by any
 * Degraded pod of its own.
 */
public final class InstanceHealth {
  private InstanceHealth() {}

  /**
   * @param tracked the rendered objects that have a health
   * @param live what the cluster has, keyed {@code Kind/name}
   * @param countPods whether the instance's pods (found in {@code live}) count
   * @param olderPods pods that existed before the change being waited for; they do not count
   */
  public static HealthSnapshot of(
      List<ManifestObject> tracked,
      Map<String, LiveObject> live,
      boolean countPods,
      Set<String> olderPods) {
    List<ObjectHealth> objects = new ArrayList<>();
    for (ManifestObject o : tracked) {
      LiveObject r = live.get(o.ref());
      Health h = r == null ? HealthAssessor.missing() : r.health();
      if (h != null) {
        objects.add(
            new ObjectHealth(
                o.apiVersion(), o.kind(), o.name(), h.status(), h.message(), List.of()));
      }
    }
    if (countPods) {
      // Pods only ever make an instance look worse: a Deployment whose pods cannot pull their
      // image is Progressing until its deadline, but the user should hear "Degraded" at once.
      live.values().stream()
          .filter(r -> "Pod".equals(r.kind()))
          .filter(r -> !olderPods.contains(r.name()))
          .filter(r -> r.health() != null && r.health().status() == HealthStatus.DEGRADED)
          .forEach(
              r ->
                  objects.add(
                      new ObjectHealth(
                          "v1",
                          "Pod",
                          r.name(),
                          r.health().status(),
                          r.health().message(),
                          List.of())));
    }
    HealthStatus worst = HealthStatus.worst(objects.stream().map(ObjectHealth::status).toList());
    String reason =
        objects.stream()
            .filter(h -> h.status() == worst && worst != HealthStatus.HEALTHY)
            .findFirst()
            .map(
                h ->
                    h.ref()
                        + (h.message() == null || h.message().isEmpty() ? "" : ": " + h.message()))
            .orElse("");
    return new HealthSnapshot(worst, reason, objects);
  }
}
