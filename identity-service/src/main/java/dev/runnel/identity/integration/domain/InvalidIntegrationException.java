package dev.runnel.identity.integration.domain;

/** A field of an integration that breaks a rule; {@link #field()} names it. */
public final class InvalidIntegrationException extends RuntimeException {
  private final String field;

  public InvalidIntegrationException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
