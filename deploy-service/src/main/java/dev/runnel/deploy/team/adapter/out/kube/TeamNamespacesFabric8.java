package dev.runnel.deploy.team.adapter.out.kube;

import dev.runnel.deploy.kube.KubeClients;
import dev.runnel.deploy.team.application.TeamNamespaceGateway;
import dev.runnel.deploy.team.application.TeamNamespaceProperties;
import dev.runnel.deploy.team.domain.Team;
import dev.runnel.deploy.team.domain.TeamRoleBinding;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The team's namespace through fabric8: every object server-side applied as field manager {@code
 * runnel} (forced, so Runnel's fields win over hand edits), the namespace first. Each call runs
 * through {@link KubeClients} (bulkhead, time limit, off the event loop).
 */
@Component
class TeamNamespacesFabric8 implements TeamNamespaceGateway {
  private final KubeClients clients;
  private final TeamNamespaceProperties settings;

  TeamNamespacesFabric8(KubeClients clients, TeamNamespaceProperties settings) {
    this.clients = clients;
    this.settings = settings;
  }

  /** What Runnel keeps in a team's namespace, in the order it is applied. */
  List<HasMetadata> desired(Team team) {
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(TeamNamespaceObject.desired(team));
    objects.add(TeamLimitRangeObject.desired(team, settings));
    objects.add(TeamResourceQuotaObject.desired(team));
    for (TeamRoleBinding role : TeamRoleBinding.ALL) {
      objects.add(TeamRoleBindingObject.desired(team, role));
    }
    objects.add(TeamDefaultDenyPolicy.desired(team));
    objects.add(TeamAllowPolicy.desired(team, settings.ingressNamespace()));
    return objects;
  }

  @Override
  public Mono<Void> apply(String cluster, Team team) {
    List<HasMetadata> objects = desired(team);
    return clients
        .call(
            cluster,
            client -> {
              for (HasMetadata o : objects) {
                client
                    .resource(o)
                    .fieldManager(TeamObjects.FIELD_MANAGER)
                    .forceConflicts()
                    .serverSideApply();
              }
              return true;
            })
        .then();
  }

  @Override
  public Mono<Void> remove(String cluster, Team team) {
    return clients.call(cluster, client -> removeNamespace(client, team)).then();
  }

  /**
   * Deletes the namespace if Runnel manages it, and waits (within the call's time limit) until it
   * is gone; a namespace still terminating then fails the attempt, which is retried.
   */
  private boolean removeNamespace(KubernetesClient client, Team team) {
    var resource = client.namespaces().withName(team.namespace());
    Namespace ns = resource.get();
    if (ns == null) {
      return true;
    }
    var labels = ns.getMetadata().getLabels();
    if (labels == null || !TeamObjects.RUNNEL.equals(labels.get(TeamObjects.MANAGED_BY))) {
      // Someone else's namespace of the same name: not Runnel's to delete.
      return true;
    }
    resource.delete();
    long seconds = Math.max(1, settings.namespaceDeletionWait().toSeconds());
    resource.waitUntilCondition(Objects::isNull, seconds, TimeUnit.SECONDS);
    return true;
  }
}
