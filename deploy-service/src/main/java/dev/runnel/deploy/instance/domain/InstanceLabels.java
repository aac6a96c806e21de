package dev.runnel.deploy.instance.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The labels that mark an object as Runnel's and as one instance's. They go on every object and on
 * the templates from which controllers make pods, jobs and volume claims, so the live tree, the
 * health watch and delete can all select by them.
 */
public final class InstanceLabels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String RUNNEL = "runnel";
  public static final String INSTANCE = "runnel.dev/instance";

  private InstanceLabels() {}

  public static String selector(UUID instanceId) {
    return INSTANCE + "=" + instanceId;
  }

  /** Adds the labels to the object's body in place. */
  public static void apply(Map<String, Object> body, UUID instanceId) {
    label(child(body, "metadata"), instanceId);
    String kind = String.valueOf(body.get("kind"));
    Map<String, Object> spec = existing(body, "spec");
    if (spec == null) {
      return;
    }
    switch (kind) {
      case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" ->
          podTemplate(spec, instanceId);
      case "CronJob" -> {
        Map<String, Object> jobTemplate = existing(spec, "jobTemplate");
        if (jobTemplate != null) {
          label(child(jobTemplate, "metadata"), instanceId);
          Map<String, Object> jobSpec = existing(jobTemplate, "spec");
          if (jobSpec != null) {
            podTemplate(jobSpec, instanceId);
          }
        }
      }
      default -> {}
    }
    if ("StatefulSet".equals(kind) && spec.get("volumeClaimTemplates") instanceof List<?> claims) {
      for (Object claim : claims) {
        if (claim instanceof Map<?, ?> m) {
          @SuppressWarnings("unchecked")
          Map<String, Object> c = (Map<String, Object>) m;
          label(child(c, "metadata"), instanceId);
        }
      }
    }
  }

  private static void podTemplate(Map<String, Object> spec, UUID instanceId) {
    Map<String, Object> template = existing(spec, "template");
    if (template != null) {
      label(child(template, "metadata"), instanceId);
    }
  }

  private static void label(Map<String, Object> metadata, UUID instanceId) {
    Map<String, Object> labels = child(metadata, "labels");
    labels.put(MANAGED_BY, RUNNEL);
    labels.put(INSTANCE, instanceId.toString());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> child(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    if (value instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    Map<String, Object> created = new LinkedHashMap<>();
    parent.put(key, created);
    return created;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> existing(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }
}
