package dev.runnel.deploy.cluster.domain;

/** A field of a cluster registration that breaks a rule; {@link #field()} names it. */
public final class InvalidClusterException extends RuntimeException {
  private final String field;

  public InvalidClusterException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
