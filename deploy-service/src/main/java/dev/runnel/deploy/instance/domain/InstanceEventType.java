package dev.runnel.deploy.instance.domain;

/** What happened to an instance; the wire type is {@code runnel.deploy.instance.<name>.v1}. */
public enum InstanceEventType {
  INSTALLED("installed"),
  UPGRADED("upgraded"),
  ROLLED_BACK("rolled-back"),
  STOPPED("stopped"),
  STARTED("started"),
  RESTARTED("restarted"),
  DELETED("deleted"),
  FAILED("failed");

  private final String wireName;

  InstanceEventType(String wireName) {
    this.wireName = wireName;
  }

  public String type() {
    return "runnel.deploy.instance." + wireName + ".v1";
  }
}
