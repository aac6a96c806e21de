package dev.runnel.health;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Read-only navigation over a Kubernetes object held as the JSON tree the API server sends (maps,
 * lists, strings, numbers, booleans). Checks read through this view rather than through fabric8's
 * typed classes so that one check serves every API version of a kind (autoscaling/v1 ... v2) and
 * tolerates fields a version does not know, as gitops-engine's unstructured checks do.
 */
final class KubeObject {
  private final Map<String, ?> root;

  KubeObject(Map<String, ?> root) {
    this.root = Objects.requireNonNull(root, "object");
  }

  String apiVersion() {
    return string("apiVersion");
  }

  /** The API group: empty for the core group ({@code v1}). */
  String group() {
    String apiVersion = apiVersion();
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  String version() {
    String apiVersion = apiVersion();
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
  }

  String kind() {
    return string("kind");
  }

  String name() {
    return string("metadata", "name");
  }

  /** The value at the path, or null when any step is missing or not an object. */
  Object get(String... path) {
    Object current = root;
    for (String step : path) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(step);
    }
    return current;
  }

  boolean has(String... path) {
    return get(path) != null;
  }

  /** The text at the path; empty when absent. Numbers and booleans are rendered as text. */
  String string(String... path) {
    Object value = get(path);
    return value == null ? "" : String.valueOf(value);
  }

  /**
   * The integer at the path, or {@code fallback} when absent. Kubernetes int32/int64 fields may
   * arrive as any JSON number, or as text from hand-written YAML ({@code "3"}).
   */
  long number(long fallback, String... path) {
    Object value = get(path);
    if (value instanceof Number n) {
      return n.longValue();
    }
    if (value instanceof String s && !s.isBlank()) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException notANumber) {
        return fallback;
      }
    }
    return fallback;
  }

  /** True only for a JSON {@code true} (or the text {@code "true"}). */
  boolean flag(String... path) {
    Object value = get(path);
    return Boolean.TRUE.equals(value) || (value instanceof String s && s.equalsIgnoreCase("true"));
  }

  /** The list at the path; empty when absent or not a list. */
  List<?> list(String... path) {
    Object value = get(path);
    return value instanceof List<?> l ? l : List.of();
  }

  /** The objects of the list at the path (non-object entries are skipped). */
  List<KubeObject> objects(String... path) {
    return list(path).stream()
        .filter(Map.class::isInstance)
        .map(item -> new KubeObject((Map<String, ?>) item))
        .toList();
  }

  /** The entry of {@code status.conditions} with the given type, or null. */
  KubeObject condition(String type) {
    for (KubeObject c : objects("status", "conditions")) {
      if (type.equals(c.string("type"))) {
        return c;
      }
    }
    return null;
  }
}
