package dev.runnel.health;

/** The assessed health of one object, with the reason a user can read (may be empty). */
public record Health(HealthStatus status, String message) {
  public Health {
    if (status == null) {
      throw new IllegalArgumentException("status is required");
    }
    message = message == null ? "" : message;
  }
}
