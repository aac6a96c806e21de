package dev.runnel.deploy.route.domain;

/** What happened to a domain; the wire type is {@code runnel.deploy.instance.<name>.v1}. */
public enum DomainEventType {
  DOMAIN_ADDED("domain-added"),
  DOMAIN_REMOVED("domain-removed"),
  ACCESS_RULES_CHANGED("access-rules-changed");

  private final String wireName;

  DomainEventType(String wireName) {
    this.wireName = wireName;
  }

  public String type() {
    return "runnel.deploy.instance." + wireName + ".v1";
  }
}
