package dev.runnel.health;

/** The assessed health of one object, with the reason a user can read (may be empty). */
public record Health(HealthStatus status, String message) {
  public Health {
    if (status == null) {
      throw new IllegalArgumentException("status is required");
    }
    message = message == null ? "" : message;
  }

  /**
   * The worst of the given healths (the first one among equals, so its message explains the
   * status); Healthy with no message when there are none.
   */
  public static Health worst(java.util.Collection<Health> healths) {
    Health worst = new Health(HealthStatus.HEALTHY, "");
    for (Health h : healths) {
      if (h.status().isWorseThan(worst.status())) {
        worst = h;
      }
    }
    return worst;
  }
}
