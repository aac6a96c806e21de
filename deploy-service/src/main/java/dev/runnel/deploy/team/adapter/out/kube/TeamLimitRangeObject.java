package dev.runnel.deploy.team.adapter.out.kube;

import dev.runnel.deploy.team.application.TeamNamespaceProperties;
import dev.runnel.deploy.team.domain.Team;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * Default requests for containers that name none, so that every pod counts against the team's
 * ResourceQuota (and is admitted while one exists). Only requests get defaults: a default limit
 * below what a container requests would make the API server refuse that container.
 */
final class TeamLimitRangeObject {
  private TeamLimitRangeObject() {}

  static LimitRange desired(Team team, TeamNamespaceProperties settings) {
    return new LimitRangeBuilder()
        .withNewMetadata()
        .withName(TeamObjects.LIMITS)
        .withNamespace(team.namespace())
        .withLabels(TeamObjects.labels(team))
        .endMetadata()
        .withNewSpec()
        .addNewLimit()
        .withType("Container")
        .withDefaultRequest(
            Map.of(
                "cpu", new Quantity(settings.defaultCpuRequest()),
                "memory", new Quantity(settings.defaultMemoryRequest())))
        .endLimit()
        .endSpec()
        .build();
  }
}
