package dev.runnel.deploy.team.adapter.out.kube;

import dev.runnel.deploy.team.domain.Team;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;

/** The team's namespace, labelled with the team so selectors and people can find it. */
final class TeamNamespaceObject {
  private TeamNamespaceObject() {}

  static Namespace desired(Team team) {
    NamespaceBuilder b =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(team.namespace())
            .withLabels(TeamObjects.labels(team))
            .endMetadata();
    if (team.displayName() != null) {
      b.editMetadata().addToAnnotations(TeamObjects.DISPLAY_NAME, team.displayName()).endMetadata();
    }
    return b.build();
  }
}
