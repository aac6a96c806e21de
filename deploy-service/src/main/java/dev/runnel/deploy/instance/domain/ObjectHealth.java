package dev.runnel.deploy.instance.domain;

import dev.runnel.health.HealthStatus;
import java.util.List;

/**
 * The live state of one object of an instance, with its health and the objects it owns (a
 * Deployment's ReplicaSets, their Pods).
 *
 * @param status null for kinds without health (ConfigMap, Secret, ...)
 */
public record ObjectHealth(
    String apiVersion,
    String kind,
    String name,
    HealthStatus status,
    String message,
    List<ObjectHealth> children) {
  public ObjectHealth {
    children = children == null ? List.of() : List.copyOf(children);
  }

  public String ref() {
    return kind + "/" + name;
  }
}
