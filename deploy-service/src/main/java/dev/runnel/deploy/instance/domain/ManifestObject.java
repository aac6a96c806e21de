package dev.runnel.deploy.instance.domain;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One Kubernetes object as rendered: its identity and its full body (the JSON tree).
 *
 * @param namespace where the object goes; for a cluster-scoped kind ({@link #isClusterScoped()})
 *     the API server ignores it
 */
public record ManifestObject(
    String apiVersion, String kind, String namespace, String name, Map<String, Object> body) {
  public ManifestObject {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  /**
   * The built-in kinds that live outside every namespace. A chart may still write a namespace into
   * such an object; the API server ignores it, so the kind decides, not the field.
   */
  public static final Set<String> CLUSTER_SCOPED_KINDS =
      Set.of(
          "Namespace",
          "Node",
          "PersistentVolume",
          "StorageClass",
          "ClusterRole",
          "ClusterRoleBinding",
          "CustomResourceDefinition",
          "PriorityClass",
          "IngressClass",
          "APIService",
          "MutatingWebhookConfiguration",
          "ValidatingWebhookConfiguration",
          "RuntimeClass",
          "CSIDriver",
          "VolumeSnapshotClass");

  /** Whether the object is cluster-wide, whatever namespace its manifest names. */
  public boolean isClusterScoped() {
    return CLUSTER_SCOPED_KINDS.contains(kind);
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
