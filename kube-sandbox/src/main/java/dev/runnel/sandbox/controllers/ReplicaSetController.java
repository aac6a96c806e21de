package dev.runnel.sandbox.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Keeps {@code spec.replicas} pods per ReplicaSet. Scaling down removes unscheduled pods first,
 * then unready ones, then the newest, as the real controller ranks them.
 */
final class ReplicaSetController implements Controller {

  private static final String COMPONENT = "replicaset-controller";

  @Override
  public void reconcile(Reconcile pass) {
    for (ReplicaSet rs : Workloads.replicaSets(pass)) {
      reconcile(pass, rs);
    }
  }

  private void reconcile(Reconcile pass, ReplicaSet rs) {
    int desired = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    List<Pod> active =
        new ArrayList<>(Workloads.podsOf(pass, rs).stream().filter(Pods::isActive).toList());
    String namespace = rs.getMetadata().getNamespace();
    int missing = desired - active.size();
    for (int i = 0; i < missing; i++) {
      Pod pod =
          Workloads.podFromTemplate(
              rs,
              rs.getSpec().getTemplate(),
              Workloads.generatedName(rs.getMetadata().getName()),
              Map.of());
      Pod created = pass.client().pods().inNamespace(namespace).resource(pod).create();
      pass.wrote(created);
      active.add(created);
      pass.events()
          .normal(
              rs, COMPONENT, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
    }
    if (active.size() > desired) {
      List<Pod> victims =
          active.stream()
              .sorted(
                  Comparator.comparing((Pod p) -> p.getSpec().getNodeName() != null)
                      .thenComparing(Pods::isReady)
                      .thenComparing(
                          (Pod p) -> p.getMetadata().getCreationTimestamp(),
                          Comparator.reverseOrder()))
              .limit(active.size() - desired)
              .toList();
      for (Pod victim : victims) {
        pass.client()
            .pods()
            .inNamespace(namespace)
            .withName(victim.getMetadata().getName())
            .delete();
        pass.forget(victim);
        pass.events()
            .normal(
                rs,
                COMPONENT,
                "SuccessfulDelete",
                "Deleted pod: " + victim.getMetadata().getName());
      }
    }
    int ready = (int) active.stream().filter(Pods::isReady).count();
    ReplicaSetStatus status =
        new ReplicaSetStatusBuilder()
            .withReplicas(active.size())
            .withFullyLabeledReplicas(active.size())
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withObservedGeneration(rs.getMetadata().getGeneration())
            .build();
    if (!status.equals(rs.getStatus())) {
      rs.setStatus(status);
      pass.wrote(
          Workloads.REPLICA_SETS,
          pass.client().apps().replicaSets().inNamespace(namespace).resource(rs).updateStatus());
    }
  }
}
