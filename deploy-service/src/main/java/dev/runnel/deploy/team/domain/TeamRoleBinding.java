package dev.runnel.deploy.team.domain;

import java.util.List;

/**
 * How a team role becomes Kubernetes access in the team's namespace: a RoleBinding of one of the
 * built-in ClusterRoles to a group named after the team and the role. A cluster whose API server
 * trusts Runnel's Keycloak (OIDC with groups claim {@code runnel:team:<team>:<role>}) thus gives
 * people in the team the same rights with kubectl that they have in Runnel.
 *
 * <ul>
 *   <li>{@code team-admin} → ClusterRole {@code admin}: everything in the namespace, including
 *       roles and bindings inside it;
 *   <li>{@code team-member} → ClusterRole {@code edit}: change workloads, read secrets, no RBAC;
 *   <li>{@code team-viewer} → ClusterRole {@code view}: read, no secrets.
 * </ul>
 *
 * @param teamRole the Runnel team role
 * @param clusterRole the built-in Kubernetes ClusterRole it is bound to
 */
public record TeamRoleBinding(String teamRole, String clusterRole) {
  public static final List<TeamRoleBinding> ALL =
      List.of(
          new TeamRoleBinding("team-admin", "admin"),
          new TeamRoleBinding("team-member", "edit"),
          new TeamRoleBinding("team-viewer", "view"));

  /** The Kubernetes group people with this role in the team belong to. */
  public String group(String team) {
    return "runnel:team:" + team + ":" + teamRole;
  }

  /** The RoleBinding's name in the team's namespace. */
  public String bindingName() {
    return "runnel-" + teamRole;
  }
}
