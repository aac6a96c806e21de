package dev.runnel.identity.federation.domain;

/** A federation setting that breaks a rule; {@link #field()} names it. */
public final class InvalidFederationException extends RuntimeException {
  private final String field;

  public InvalidFederationException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
