package dev.runnel.deploy.instance.domain;

import dev.runnel.health.HealthStatus;
import java.util.List;

/**
 * An instance's health at one moment: the worst of its objects' (and its pods'), with the object
 * that decided it.
 */
public record HealthSnapshot(HealthStatus status, String reason, List<ObjectHealth> objects) {
  public HealthSnapshot {
    objects = List.copyOf(objects);
  }
}
