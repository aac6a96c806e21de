package dev.runnel.deploy.instance.domain;

/** A field of an instance request that breaks a rule; {@link #field()} names it. */
public final class InvalidInstanceException extends RuntimeException {
  private final String field;

  public InvalidInstanceException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
