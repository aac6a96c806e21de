package dev.runnel.health;

import java.util.Collection;

/**
 * The health of a Kubernetes object or of an instance, in gitops-engine's order from best to worst:
 * an instance is as healthy as its worst object.
 */
public enum HealthStatus {
  HEALTHY("Healthy"),
  SUSPENDED("Suspended"),
  PROGRESSING("Progressing"),
  MISSING("Missing"),
  DEGRADED("Degraded"),
  UNKNOWN("Unknown");

  private final String label;

  HealthStatus(String label) {
    this.label = label;
  }

  /** The name users and the API see: {@code Healthy}, {@code Degraded}, ... */
  public String label() {
    return label;
  }

  public boolean isWorseThan(HealthStatus other) {
    return ordinal() > other.ordinal();
  }

  /** The worst of the given statuses; Healthy when there are none. */
  public static HealthStatus worst(Collection<HealthStatus> statuses) {
    HealthStatus worst = HEALTHY;
    for (HealthStatus s : statuses) {
      if (s.isWorseThan(worst)) {
        worst = s;
      }
    }
    return worst;
  }

  /** The worst of the given statuses; Healthy when there are none. */
  public static HealthStatus worst(HealthStatus... statuses) {
    return worst(java.util.Arrays.asList(statuses));
  }

  /** Parses a label ({@code Healthy}) or a constant name ({@code HEALTHY}). */
  public static HealthStatus parse(String text) {
    for (HealthStatus s : values()) {
      if (s.label.equalsIgnoreCase(text) || s.name().equalsIgnoreCase(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown health status: " + text);
  }
}
