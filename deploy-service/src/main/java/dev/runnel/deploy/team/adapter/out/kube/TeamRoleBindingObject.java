package dev.runnel.deploy.team.adapter.out.kube;

import dev.runnel.deploy.team.domain.Team;
import dev.runnel.deploy.team.domain.TeamRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;

/**
 * One team role's RoleBinding: the built-in ClusterRole the role maps to, bound in the team's
 * namespace to the role's group ({@link TeamRoleBinding}).
 */
final class TeamRoleBindingObject {
  private TeamRoleBindingObject() {}

  static RoleBinding desired(Team team, TeamRoleBinding role) {
    return new RoleBindingBuilder()
        .withNewMetadata()
        .withName(role.bindingName())
        .withNamespace(team.namespace())
        .withLabels(TeamObjects.labels(team))
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole")
        .withName(role.clusterRole())
        .endRoleRef()
        .addNewSubject()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("Group")
        .withName(role.group(team.name()))
        .endSubject()
        .build();
  }
}
