package dev.runnel.deploy.instance.domain;

/** Where an operation is; the last three are final. */
public enum OperationStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean finished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static OperationStatus parse(String label) {
    return valueOf(label.toUpperCase(java.util.Locale.ROOT));
  }
}
