package dev.runnel.identity.team.domain;

/** The team still owns instances; {@link #instances()} says how many. */
public final class TeamInUseException extends RuntimeException {
  private final long instances;

  public TeamInUseException(String message, long instances) {
    super(message);
    this.instances = instances;
  }

  public long instances() {
    return instances;
  }
}
