package dev.runnel.market.repository.domain;

/** A field of a repository that breaks a rule; {@link #field()} names it. */
public final class InvalidRepositoryException extends RuntimeException {
  private final String field;

  public InvalidRepositoryException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
