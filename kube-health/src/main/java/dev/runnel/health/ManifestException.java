package dev.runnel.health;

/** A manifest that cannot be read as Kubernetes objects; the message says where and why. */
public class ManifestException extends IllegalArgumentException {
  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
