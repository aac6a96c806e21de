package dev.runnel.deploy.instance.domain;

/** What the user asked the instance to be, as far as it got; health is reported apart. */
public enum InstanceState {
  INSTALLING,
  RUNNING,
  STOPPED,
  FAILED,
  DELETING,
  DELETED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static InstanceState parse(String label) {
    return valueOf(label.toUpperCase(java.util.Locale.ROOT));
  }
}
