package dev.runnel.sandbox.discovery;

import java.util.ArrayList;
import java.util.List;

/** The built-in resources of a K3s 1.31 server that the sandbox simulates. */
final class BuiltinResources {

  private BuiltinResources() {}

  static List<ApiResource> all() {
    List<ApiResource> r = new ArrayList<>();
    String core = "";
    ns(r, core, "v1", "pods", "Pod", List.of("po"), "status", "log", "eviction", "binding");
    ns(r, core, "v1", "services", "Service", List.of("svc"), "status");
    cluster(r, core, "v1", "namespaces", "Namespace", List.of("ns"), "status", "finalize");
    cluster(r, core, "v1", "nodes", "Node", List.of("no"), "status");
    ns(r, core, "v1", "configmaps", "ConfigMap", List.of("cm"));
    ns(r, core, "v1", "secrets", "Secret", List.of());
    ns(r, core, "v1", "serviceaccounts", "ServiceAccount", List.of("sa"));
    ns(r, core, "v1", "persistentvolumeclaims", "PersistentVolumeClaim", List.of("pvc"), "status");
    cluster(r, core, "v1", "persistentvolumes", "PersistentVolume", List.of("pv"), "status");
    ns(r, core, "v1", "endpoints", "Endpoints", List.of("ep"));
    ns(r, core, "v1", "events", "Event", List.of("ev"));
    ns(r, core, "v1", "limitranges", "LimitRange", List.of("limits"));
    ns(r, core, "v1", "resourcequotas", "ResourceQuota", List.of("quota"), "status");
    ns(r, core, "v1", "replicationcontrollers", "ReplicationController", List.of("rc"), "status");
    ns(r, "apps", "v1", "deployments", "Deployment", List.of("deploy"), "status", "scale");
    ns(r, "apps", "v1", "replicasets", "ReplicaSet", List.of("rs"), "status", "scale");
    ns(r, "apps", "v1", "statefulsets", "StatefulSet", List.of("sts"), "status", "scale");
    ns(r, "apps", "v1", "daemonsets", "DaemonSet", List.of("ds"), "status");
    ns(r, "apps", "v1", "controllerrevisions", "ControllerRevision", List.of());
    ns(r, "batch", "v1", "jobs", "Job", List.of(), "status");
    ns(r, "batch", "v1", "cronjobs", "CronJob", List.of("cj"), "status");
    String net = "networking.k8s.io";
    ns(r, net, "v1", "ingresses", "Ingress", List.of("ing"), "status");
    ns(r, net, "v1", "networkpolicies", "NetworkPolicy", List.of("netpol"));
    cluster(r, net, "v1", "ingressclasses", "IngressClass", List.of());
    ns(r, "policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", List.of("pdb"), "status");
    String rbac = "rbac.authorization.k8s.io";
    ns(r, rbac, "v1", "roles", "Role", List.of());
    ns(r, rbac, "v1", "rolebindings", "RoleBinding", List.of());
    cluster(r, rbac, "v1", "clusterroles", "ClusterRole", List.of());
    cluster(r, rbac, "v1", "clusterrolebindings", "ClusterRoleBinding", List.of());
    ns(
        r,
        "autoscaling",
        "v2",
        "horizontalpodautoscalers",
        "HorizontalPodAutoscaler",
        List.of("hpa"),
        "status");
    cluster(r, "storage.k8s.io", "v1", "storageclasses", "StorageClass", List.of("sc"));
    ns(r, "coordination.k8s.io", "v1", "leases", "Lease", List.of());
    cluster(
        r,
        "apiextensions.k8s.io",
        "v1",
        "customresourcedefinitions",
        "CustomResourceDefinition",
        List.of("crd", "crds"),
        "status");
    r.add(
        new ApiResource(
            "metrics.k8s.io",
            "v1beta1",
            "nodes",
            "NodeMetrics",
            false,
            List.of(),
            ApiResource.READ_VERBS,
            List.of()));
    r.add(
        new ApiResource(
            "metrics.k8s.io",
            "v1beta1",
            "pods",
            "PodMetrics",
            true,
            List.of(),
            ApiResource.READ_VERBS,
            List.of()));
    return List.copyOf(r);
  }

  private static void ns(
      List<ApiResource> r,
      String group,
      String version,
      String plural,
      String kind,
      List<String> shortNames,
      String... subresources) {
    r.add(
        new ApiResource(
            group,
            version,
            plural,
            kind,
            true,
            shortNames,
            ApiResource.ALL_VERBS,
            List.of(subresources)));
  }

  private static void cluster(
      List<ApiResource> r,
      String group,
      String version,
      String plural,
      String kind,
      List<String> shortNames,
      String... subresources) {
    r.add(
        new ApiResource(
            group,
            version,
            plural,
            kind,
            false,
            shortNames,
            ApiResource.ALL_VERBS,
            List.of(subresources)));
  }
}
