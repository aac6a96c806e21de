package dev.runnel.sandbox.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Background cascading deletion for the objects the simulated controllers own: when a Deployment,
 * ReplicaSet, StatefulSet, DaemonSet, Job or CronJob is deleted, what it controlled goes too.
 * Owners of other kinds are left alone: the sandbox does not know whether they exist.
 */
final class GarbageCollector implements Controller {

  private static final Set<String> OWNER_KINDS =
      Set.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob");

  @Override
  public void reconcile(Reconcile pass) {
    Set<String> alive = new HashSet<>();
    Stream.of(
            Workloads.deployments(pass),
            Workloads.replicaSets(pass),
            Workloads.statefulSets(pass),
            Workloads.daemonSets(pass),
            Workloads.jobs(pass),
            Workloads.cronJobs(pass))
        .flatMap(List::stream)
        .forEach(o -> alive.add(((HasMetadata) o).getMetadata().getUid()));
    for (ReplicaSet rs : Workloads.replicaSets(pass)) {
      if (orphaned(rs, alive)) {
        pass.client()
            .apps()
            .replicaSets()
            .inNamespace(rs.getMetadata().getNamespace())
            .withName(rs.getMetadata().getName())
            .delete();
      }
    }
    for (Job job : Workloads.jobs(pass)) {
      if (orphaned(job, alive)) {
        pass.client()
            .batch()
            .v1()
            .jobs()
            .inNamespace(job.getMetadata().getNamespace())
            .withName(job.getMetadata().getName())
            .delete();
      }
    }
    Set<String> nodes = new HashSet<>();
    pass.nodes().forEach(n -> nodes.add(n.getMetadata().getName()));
    for (Pod pod : pass.pods()) {
      // Pod GC: pods bound to a node that no longer exists go too (their controller replaces them).
      boolean nodeGone =
          pod.getSpec().getNodeName() != null && !nodes.contains(pod.getSpec().getNodeName());
      if (orphaned(pod, alive) || nodeGone) {
        pass.client()
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .delete();
      }
    }
  }

  private static boolean orphaned(HasMetadata object, Set<String> alive) {
    Optional<OwnerReference> owner = Owners.controllerOf(object);
    return owner.isPresent()
        && OWNER_KINDS.contains(owner.get().getKind())
        && !alive.contains(owner.get().getUid());
  }
}
