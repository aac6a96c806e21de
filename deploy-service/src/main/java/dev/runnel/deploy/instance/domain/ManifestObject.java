package dev.runnel.deploy.instance.domain;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Kubernetes object as rendered: its identity and its full body (the JSON tree).
 *
 * @param namespace null for cluster-scoped objects
 */
public record ManifestObject(
    String apiVersion, String kind, String namespace, String name, Map<String, Object> body) {
  public ManifestObject {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  /** {@code Kind/name}, how users and the API name an object of an instance. */
  public String ref() {
    return kind + "/" + name;
  }

  /** Install order, after Helm's: namespaces and definitions first, workloads late. */
  public int installOrder() {
    int i = INSTALL_ORDER.indexOf(kind);
    return i < 0 ? INSTALL_ORDER.size() : i;
  }

  private static final List<String> INSTALL_ORDER =
      List.of(
          "PriorityClass",
          "Namespace",
          "NetworkPolicy",
          "ResourceQuota",
          "LimitRange",
          "PodSecurityPolicy",
          "PodDisruptionBudget",
          "ServiceAccount",
          "Secret",
          "SecretList",
          "ConfigMap",
          "StorageClass",
          "PersistentVolume",
          "PersistentVolumeClaim",
          "CustomResourceDefinition",
          "ClusterRole",
          "ClusterRoleList",
          "ClusterRoleBinding",
          "ClusterRoleBindingList",
          "Role",
          "RoleList",
          "RoleBinding",
          "RoleBindingList",
          "Service",
          "DaemonSet",
          "Pod",
          "ReplicationController",
          "ReplicaSet",
          "Deployment",
          "HorizontalPodAutoscaler",
          "StatefulSet",
          "Job",
          "CronJob",
          "IngressClass",
          "Ingress",
          "APIService");
}
