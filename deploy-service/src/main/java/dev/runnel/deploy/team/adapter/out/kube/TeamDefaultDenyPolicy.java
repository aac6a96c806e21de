package dev.runnel.deploy.team.adapter.out.kube;

import dev.runnel.deploy.team.domain.Team;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;

/**
 * Denies all ingress to the team's pods; {@link TeamAllowPolicy} then opens what the team needs.
 * Egress is left open: apps reach databases and APIs outside the namespace.
 */
final class TeamDefaultDenyPolicy {
  private TeamDefaultDenyPolicy() {}

  static NetworkPolicy desired(Team team) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(TeamObjects.DENY)
        .withNamespace(team.namespace())
        .withLabels(TeamObjects.labels(team))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .endSpec()
        .build();
  }
}
