package dev.runnel.deploy.bundle.domain;

/** A bundle that cannot be imported; the message says what is wrong with it. */
public class InvalidBundleException extends RuntimeException {
  public InvalidBundleException(String message) {
    super(message);
  }
}
