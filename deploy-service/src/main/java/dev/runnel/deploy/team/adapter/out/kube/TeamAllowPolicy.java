package dev.runnel.deploy.team.adapter.out.kube;

import dev.runnel.deploy.team.domain.Team;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;

/**
 * Admits traffic to the team's pods from the team's own pods and from the ingress controller's
 * namespace (selected by the label the API server gives every namespace), and nothing else.
 */
final class TeamAllowPolicy {
  private TeamAllowPolicy() {}

  static NetworkPolicy desired(Team team, String ingressNamespace) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(TeamObjects.ALLOW)
        .withNamespace(team.namespace())
        .withLabels(TeamObjects.labels(team))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .addNewFrom()
        .withNewPodSelector()
        .endPodSelector()
        .endFrom()
        .addNewFrom()
        .withNewNamespaceSelector()
        .addToMatchLabels(TeamObjects.NAMESPACE_NAME, ingressNamespace)
        .endNamespaceSelector()
        .endFrom()
        .endIngress()
        .endSpec()
        .build();
  }
}
