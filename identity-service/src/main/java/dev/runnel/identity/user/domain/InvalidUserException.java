package dev.runnel.identity.user.domain;

/** A field of a user that breaks a rule; {@link #field()} names it. */
public final class InvalidUserException extends RuntimeException {
  private final String field;

  public InvalidUserException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
