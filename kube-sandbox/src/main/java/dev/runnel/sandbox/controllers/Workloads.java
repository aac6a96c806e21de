package dev.runnel.sandbox.controllers;

import dev.runnel.sandbox.apply.Admission;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Shared reads of workload objects for one pass, and building pods from templates. */
final class Workloads {

  private Workloads() {}

  static final String REPLICA_SETS = "replicasets";
  static final String DEPLOYMENTS = "deployments";

  static List<Deployment> deployments(Reconcile pass) {
    return pass.cached(DEPLOYMENTS, () -> pass.list("/apis/apps/v1/deployments", Deployment.class));
  }

  static List<ReplicaSet> replicaSets(Reconcile pass) {
    return pass.cached(
        REPLICA_SETS, () -> pass.list("/apis/apps/v1/replicasets", ReplicaSet.class));
  }

  static List<StatefulSet> statefulSets(Reconcile pass) {
    return pass.cached(
        "statefulsets", () -> pass.list("/apis/apps/v1/statefulsets", StatefulSet.class));
  }

  static List<DaemonSet> daemonSets(Reconcile pass) {
    return pass.cached("daemonsets", () -> pass.list("/apis/apps/v1/daemonsets", DaemonSet.class));
  }

  static List<Job> jobs(Reconcile pass) {
    return pass.cached("jobs", () -> pass.list("/apis/batch/v1/jobs", Job.class));
  }

  static List<CronJob> cronJobs(Reconcile pass) {
    return pass.cached("cronjobs", () -> pass.list("/apis/batch/v1/cronjobs", CronJob.class));
  }

  static List<Pod> podsOf(Reconcile pass, HasMetadata owner) {
    return pass.pods().stream().filter(p -> Owners.isControlledBy(p, owner)).toList();
  }

  /** A pod as its controller would create it from a template. */
  static Pod podFromTemplate(
      HasMetadata owner, PodTemplateSpec template, String name, Map<String, String> extraLabels) {
    Map<String, String> labels = new HashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.putAll(extraLabels);
    Map<String, String> annotations =
        template.getMetadata() == null || template.getMetadata().getAnnotations() == null
            ? Map.of()
            : template.getMetadata().getAnnotations();
    PodSpec spec = Serialization.clone(template.getSpec());
    return new PodBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(Owners.controllerRef(owner))
                .build())
        .withSpec(spec)
        .build();
  }

  static String generatedName(String base) {
    return base + "-" + Admission.randomSuffix();
  }

  /** Resolves an int-or-percent against a total, rounding as the Deployment controller does. */
  static int resolve(IntOrString value, int total, boolean roundUp, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal();
    if (text != null && text.endsWith("%")) {
      double share = Double.parseDouble(text.substring(0, text.length() - 1)) * total / 100.0;
      return (int) (roundUp ? Math.ceil(share) : Math.floor(share));
    }
    return text == null ? fallback : Integer.parseInt(text);
  }
}
