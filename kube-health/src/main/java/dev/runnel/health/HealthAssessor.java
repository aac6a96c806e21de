package dev.runnel.health;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Assesses the health of one Kubernetes object with the semantics of Argo CD's gitops-engine
 * ({@code pkg/health}): Deployment, StatefulSet, DaemonSet, ReplicaSet, Pod, Job, CronJob,
 * PersistentVolumeClaim, Service, Ingress, HorizontalPodAutoscaler and APIService have a check; any
 * object being deleted is Progressing. Other kinds (ConfigMap, Secret, ...) have no health: the
 * result is empty and the object does not count towards an instance's health.
 *
 * <p>Stateless and thread-safe. An instance is as healthy as its worst object: see {@link
 * HealthStatus#worst} and {@link Health#worst}; an object the instance should have but the cluster
 * does not is {@link #missing()}.
 */
public final class HealthAssessor {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private HealthAssessor() {}

  /**
   * The health of an object held as its JSON tree (what the API server sends); empty when its kind
   * has none.
   */
  public static Optional<Health> assess(Map<String, ?> object) {
    if (object == null) {
      throw new IllegalArgumentException("object is required");
    }
    KubeObject o = new KubeObject(object);
    if (o.has("metadata", "deletionTimestamp")) {
      return Optional.of(new Health(HealthStatus.PROGRESSING, "Pending deletion"));
    }
    return Optional.ofNullable(check(o));
  }

  /**
   * The health of a fabric8 object, generic ({@code GenericKubernetesResource}) or typed ({@code
   * Deployment}, {@code Pod}, ...); empty when its kind has none.
   */
  @SuppressWarnings("unchecked")
  public static Optional<Health> assess(HasMetadata object) {
    if (object == null) {
      throw new IllegalArgumentException("object is required");
    }
    return assess((Map<String, ?>) Serialization.INSTANCE.convertValue(object, Map.class));
  }

  /**
   * The health of the single object in a YAML or JSON manifest; empty when its kind has none.
   *
   * @throws ManifestException when the text is not exactly one Kubernetes object
   */
  public static Optional<Health> assess(String manifest) {
    return assess(Manifests.parseOne(manifest));
  }

  /** Whether objects of this kind get a health (apart from the rule for objects being deleted). */
  public static boolean hasHealth(String apiVersion, String kind) {
    KubeObject probe = new KubeObject(Map.of("apiVersion", apiVersion, "kind", kind));
    return checkFor(probe) != null;
  }

  /** The health of an object the instance should have and the cluster does not. */
  public static Health missing() {
    return new Health(HealthStatus.MISSING, "Object does not exist in the cluster");
  }

  private static Health check(KubeObject o) {
    Check check = checkFor(o);
    return check == null ? null : check.apply(o);
  }

  private interface Check {
    Health apply(KubeObject o);
  }

  private static Check checkFor(KubeObject o) {
    String kind = o.kind();
    return switch (o.group()) {
      case "apps" ->
          switch (kind) {
            case "Deployment" -> WorkloadChecks::deployment;
            case "StatefulSet" -> WorkloadChecks::statefulSet;
            case "DaemonSet" -> WorkloadChecks::daemonSet;
            case "ReplicaSet" -> WorkloadChecks::replicaSet;
            default -> null;
          };
      case "" ->
          switch (kind) {
            case "Pod" -> PodChecks::pod;
            case "Service" -> ServiceChecks::service;
            case "PersistentVolumeClaim" -> ServiceChecks::persistentVolumeClaim;
            default -> null;
          };
      case "batch" ->
          switch (kind) {
            case "Job" -> BatchChecks::job;
            case "CronJob" -> BatchChecks::cronJob;
            default -> null;
          };
      case "networking.k8s.io", "extensions" ->
          "Ingress".equals(kind) ? ServiceChecks::ingress : null;
      case "autoscaling" ->
          "HorizontalPodAutoscaler".equals(kind) ? HealthAssessor::autoscaler : null;
      case "apiregistration.k8s.io" -> "APIService".equals(kind) ? ServiceChecks::apiService : null;
      default -> null;
    };
  }

  private static Health autoscaler(KubeObject hpa) {
    List<?> v1Conditions = null;
    String annotation = hpa.string("metadata", "annotations", AutoscalerChecks.V1_CONDITIONS);
    if ("v1".equals(hpa.version()) && !annotation.isBlank()) {
      try {
        v1Conditions = JSON.readValue(annotation, List.class);
      } catch (JacksonException e) {
        return new Health(
            HealthStatus.UNKNOWN,
            "annotation " + AutoscalerChecks.V1_CONDITIONS + " is not a JSON list of conditions");
      }
    }
    return AutoscalerChecks.autoscaler(hpa, v1Conditions);
  }
}
