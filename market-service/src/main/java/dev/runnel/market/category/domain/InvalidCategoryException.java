package dev.runnel.market.category.domain;

/** A field of a category that breaks a rule; {@link #field()} names it. */
public final class InvalidCategoryException extends RuntimeException {
  private final String field;

  public InvalidCategoryException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
