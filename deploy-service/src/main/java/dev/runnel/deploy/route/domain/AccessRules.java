package dev.runnel.deploy.route.domain;

import java.util.List;

/**
 * Who may reach a domain: source networks (empty: everyone) and basic-auth users (empty: no login).
 * {@code wafProtected} is stored and shown; a later capability enforces it.
 */
public record AccessRules(
    List<String> ipAllowList, List<BasicAuthUser> basicAuth, boolean wafProtected) {
  public static final AccessRules NONE = new AccessRules(List.of(), List.of(), false);

  public AccessRules {
    ipAllowList = List.copyOf(ipAllowList);
    basicAuth = List.copyOf(basicAuth);
  }

  public boolean restrictsSources() {
    return !ipAllowList.isEmpty();
  }

  public boolean requiresLogin() {
    return !basicAuth.isEmpty();
  }
}
