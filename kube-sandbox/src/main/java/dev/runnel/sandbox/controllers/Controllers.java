package dev.runnel.sandbox.controllers;

import java.util.List;

/** The controller stages in the order a pass runs them. */
public final class Controllers {

  private Controllers() {}

  public static List<Controller> all() {
    return List.of(
        new NamespaceController(),
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
        new EndpointsController(),
        new AddressPublisher());
  }
}
