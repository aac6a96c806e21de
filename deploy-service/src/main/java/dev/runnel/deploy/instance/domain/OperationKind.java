package dev.runnel.deploy.instance.domain;

/** The kinds of change an operation makes to an instance. */
public enum OperationKind {
  INSTALL,
  UPGRADE,
  ROLLBACK,
  STOP,
  START,
  RESTART,
  DELETE;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static OperationKind parse(String label) {
    return valueOf(label.toUpperCase(java.util.Locale.ROOT));
  }
}
