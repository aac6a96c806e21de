package dev.runnel.sandbox.controllers;

import dev.runnel.sandbox.nodes.SimulatedNodes;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the {@code node.kubernetes.io/unschedulable} taint in step with {@code spec.unschedulable},
 * as the node lifecycle controller does, so that {@code kubectl cordon} (which only sets the field)
 * looks the same as {@link SimulatedNodes#cordon}.
 */
final class NodeLifecycle implements Controller {

  @Override
  public void reconcile(Reconcile pass) {
    for (Node node : pass.nodes()) {
      boolean cordoned = Boolean.TRUE.equals(node.getSpec().getUnschedulable());
      List<Taint> taints =
          node.getSpec().getTaints() == null
              ? new ArrayList<>()
              : new ArrayList<>(node.getSpec().getTaints());
      boolean tainted =
          taints.stream().anyMatch(t -> SimulatedNodes.UNSCHEDULABLE_TAINT.equals(t.getKey()));
      if (cordoned == tainted) {
        continue;
      }
      if (cordoned) {
        taints.add(
            new TaintBuilder()
                .withKey(SimulatedNodes.UNSCHEDULABLE_TAINT)
                .withEffect("NoSchedule")
                .withTimeAdded(pass.timestamp())
                .build());
      } else {
        taints.removeIf(t -> SimulatedNodes.UNSCHEDULABLE_TAINT.equals(t.getKey()));
      }
      node.getSpec().setTaints(taints);
      pass.client().nodes().resource(node).update();
    }
  }
}
