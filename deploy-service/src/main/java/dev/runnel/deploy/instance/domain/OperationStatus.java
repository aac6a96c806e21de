package dev.runnel.deploy.instance.domain;

/**
 * Where an operation is; the last three are final. {@code QUEUED}: accepted, waiting for a free
 * slot on its cluster (nothing applied yet). {@code PENDING}: accepted, about to run without
 * waiting (operations that do not queue).
 */
public enum OperationStatus {
  QUEUED,
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
