package dev.runnel.sandbox.controllers;

import dev.runnel.sandbox.nodes.SimulatedNodes;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DaemonSets: one pod per node that matches the pod's node selector and whose taints it tolerates.
 * Daemon pods are bound to their node directly and tolerate {@code unschedulable}, {@code
 * not-ready} and {@code unreachable}, as the real controller arranges; a template change replaces
 * the pods one at a time.
 */
final class DaemonSetController implements Controller {

  private static final String COMPONENT = "daemonset-controller";
  private static final String REVISION_LABEL = "controller-revision-hash";
  private static final Set<String> TOLERATED_BY_DAEMONS =
      Set.of(
          SimulatedNodes.UNSCHEDULABLE_TAINT,
          SimulatedNodes.UNREACHABLE_TAINT,
          "node.kubernetes.io/not-ready");

  @Override
  public void reconcile(Reconcile pass) {
    for (DaemonSet ds : Workloads.daemonSets(pass)) {
      reconcile(pass, ds);
    }
  }

  private void reconcile(Reconcile pass, DaemonSet ds) {
    String namespace = ds.getMetadata().getNamespace();
    String revision = Owners.hash(ds.getSpec().getTemplate());
    Map<String, Pod> byNode = new HashMap<>();
    for (Pod pod : Workloads.podsOf(pass, ds)) {
      if (Pods.isActive(pod) && pod.getSpec().getNodeName() != null) {
        byNode.put(pod.getSpec().getNodeName(), pod);
      }
    }
    int desired = 0;
    boolean replacing = false;
    for (Node node : pass.nodes()) {
      String nodeName = node.getMetadata().getName();
      Pod existing = byNode.remove(nodeName);
      if (!eligible(ds, node)) {
        if (existing != null) {
          delete(pass, ds, existing);
        }
        continue;
      }
      desired++;
      if (existing == null) {
        Pod pod =
            Workloads.podFromTemplate(
                ds,
                ds.getSpec().getTemplate(),
                Workloads.generatedName(ds.getMetadata().getName()),
                Map.of(REVISION_LABEL, revision));
        pod.getSpec().setNodeName(nodeName);
        pass.wrote(pass.client().pods().inNamespace(namespace).resource(pod).create());
        pass.events()
            .normal(
                ds, COMPONENT, "SuccessfulCreate", "Created pod: " + pod.getMetadata().getName());
      } else if (!revision.equals(existing.getMetadata().getLabels().get(REVISION_LABEL))
          && !replacing) {
        delete(pass, ds, existing);
        replacing = true;
      }
    }
    byNode.values().forEach(orphan -> delete(pass, ds, orphan));
    List<Pod> pods = Workloads.podsOf(pass, ds).stream().filter(Pods::isActive).toList();
    int ready = (int) pods.stream().filter(Pods::isReady).count();
    int updated =
        (int)
            pods.stream()
                .filter(p -> revision.equals(p.getMetadata().getLabels().get(REVISION_LABEL)))
                .count();
    DaemonSetStatus status =
        new DaemonSetStatusBuilder()
            .withObservedGeneration(ds.getMetadata().getGeneration())
            .withDesiredNumberScheduled(desired)
            .withCurrentNumberScheduled(pods.size())
            .withNumberReady(ready)
            .withNumberAvailable(ready)
            .withNumberUnavailable(Math.max(0, desired - ready))
            .withUpdatedNumberScheduled(updated)
            .withNumberMisscheduled(0)
            .build();
    if (!status.equals(ds.getStatus())) {
      ds.setStatus(status);
      pass.client().apps().daemonSets().inNamespace(namespace).resource(ds).updateStatus();
    }
  }

  private static boolean eligible(DaemonSet ds, Node node) {
    Pod probe = new Pod();
    probe.setSpec(ds.getSpec().getTemplate().getSpec());
    Map<String, String> selector = probe.getSpec().getNodeSelector();
    Map<String, String> labels = node.getMetadata().getLabels();
    if (selector != null) {
      for (Map.Entry<String, String> e : selector.entrySet()) {
        if (labels == null || !e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (node.getSpec().getTaints() != null) {
      for (Taint taint : node.getSpec().getTaints()) {
        if (!"PreferNoSchedule".equals(taint.getEffect())
            && !TOLERATED_BY_DAEMONS.contains(taint.getKey())
            && !Scheduler.tolerates(probe, taint)) {
          return false;
        }
      }
    }
    return true;
  }

  private static void delete(Reconcile pass, DaemonSet ds, Pod pod) {
    pass.client()
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .delete();
    pass.events()
        .normal(ds, COMPONENT, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
  }
}
