package dev.runnel.deploy.team.adapter.out.kube;

import dev.runnel.deploy.team.domain.Team;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names and labels of the objects Runnel owns in a team's namespace: one place, so that every
 * object class and every selector agree.
 */
final class TeamObjects {
  static final String FIELD_MANAGER = "runnel";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String RUNNEL = "runnel";
  static final String TEAM = "runnel.dev/team";
  static final String DISPLAY_NAME = "runnel.dev/team-display-name";
  static final String QUOTA = "runnel-team-quota";
  static final String LIMITS = "runnel-team-defaults";
  static final String DENY = "runnel-default-deny-ingress";
  static final String ALLOW = "runnel-allow-team-and-ingress";

  /** The label the API server puts on every namespace, so a selector can name one. */
  static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";

  private TeamObjects() {}

  static Map<String, String> labels(Team team) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, RUNNEL);
    labels.put(TEAM, team.name());
    return labels;
  }
}
