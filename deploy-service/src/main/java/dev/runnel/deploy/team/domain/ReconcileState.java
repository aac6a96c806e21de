package dev.runnel.deploy.team.domain;

/** Where a team's namespace stands on one cluster. */
public enum ReconcileState {
  /** The team's objects are applied as of {@link NamespaceStatus#version()}. */
  RECONCILED("reconciled"),
  /** The last attempt failed; it is retried at {@link NamespaceStatus#nextAttemptAt()}. */
  FAILED("failed"),
  /** The team was deleted and its namespace removed from the cluster. */
  DELETED("deleted");

  private final String label;

  ReconcileState(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static ReconcileState of(String label) {
    for (ReconcileState s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown reconcile state " + label);
  }
}
