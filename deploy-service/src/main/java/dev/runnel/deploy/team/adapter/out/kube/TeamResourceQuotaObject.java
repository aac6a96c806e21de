package dev.runnel.deploy.team.adapter.out.kube;

import dev.runnel.deploy.team.domain.Team;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The team's quota as the namespace's ResourceQuota: requests only (CPU, memory, storage), since
 * that is what the quota is about and what the LimitRange fills in for containers that name none.
 * Limits are not constrained: a quota on limits would refuse every pod without limits. The instance
 * count has no Kubernetes counterpart (an instance is many objects) and is enforced by deploy's
 * preflight. A quota field that is null leaves that resource unlimited.
 */
final class TeamResourceQuotaObject {
  private TeamResourceQuotaObject() {}

  static ResourceQuota desired(Team team) {
    Map<String, Quantity> hard = new LinkedHashMap<>();
    if (team.quota().cpu() != null) {
      hard.put("requests.cpu", new Quantity(team.quota().cpu()));
    }
    if (team.quota().memory() != null) {
      hard.put("requests.memory", new Quantity(team.quota().memory()));
    }
    if (team.quota().storage() != null) {
      hard.put("requests.storage", new Quantity(team.quota().storage()));
    }
    return new ResourceQuotaBuilder()
        .withNewMetadata()
        .withName(TeamObjects.QUOTA)
        .withNamespace(team.namespace())
        .withLabels(TeamObjects.labels(team))
        .endMetadata()
        .withNewSpec()
        .withHard(hard)
        .endSpec()
        .build();
  }
}
