package dev.runnel.deploy.route.domain;

/** A domain or access rule the caller sent is not acceptable; {@code field} names where. */
public final class InvalidRouteException extends RuntimeException {
  private final String field;

  public InvalidRouteException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
