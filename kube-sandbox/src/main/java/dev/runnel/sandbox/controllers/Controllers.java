package dev.runnel.sandbox.controllers;

import java.util.List;

/**
 * The controller stages in the order a pass runs them. A stage sees what the stages before it in
 * the same pass wrote (see {@link Reconcile}).
 */
public final class Controllers {

  private Controllers() {}

  public static List<Controller> all() {
    return List.of(
        new NamespaceController(),
        // First: a LoadBalancer Service or Ingress needs nothing else, and the pass its write
        // started gives it its address.
        new AddressPublisher(),
        new NodeLifecycle(),
        new GarbageCollector(),
        new CronJobController(),
        new JobController(),
        new DeploymentController(),
        new ReplicaSetController(),
        new StatefulSetController(),
        new DaemonSetController(),
        new VolumeBinder(),
        new Scheduler(),
        new Kubelet(),
        // The ReplicaSet and Deployment controllers again, on fresh lists of both kinds: the real
        // ones see their pods turn ready through their watches at once, so a pass that started
        // pods also reports them ready, instead of two more passes doing so.
        pass -> pass.reread(Workloads.REPLICA_SETS, Workloads.DEPLOYMENTS),
        new ReplicaSetController(),
        new DeploymentController(),
        new EndpointsController());
  }
}
