package dev.runnel.kit.events;

/** A record that is not a CloudEvent; it is never retried, it goes to the dead-letter topic. */
public final class InvalidEventException extends RuntimeException {
  public InvalidEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
