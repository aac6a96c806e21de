package dev.runnel.health;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads manifests: one or more YAML documents separated by {@code ---}, or JSON (which is YAML).
 * Empty documents are skipped; a {@code List} ({@code kind: List}, {@code kind: ServiceList}, ...)
 * contributes its items.
 */
public final class Manifests {
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private Manifests() {}

  /**
   * The objects in {@code text}, in order, each as the JSON tree the API server would send.
   *
   * @throws ManifestException when the text is not YAML/JSON or a document is not a Kubernetes
   *     object (no {@code apiVersion} or {@code kind})
   */
  public static List<Map<String, Object>> parse(String text) {
    if (text == null) {
      throw new ManifestException("no manifest given");
    }
    List<Map<String, Object>> objects = new ArrayList<>();
    int document = 0;
    try (MappingIterator<Object> documents = YAML.readerFor(Object.class).readValues(text)) {
      while (documents.hasNextValue()) {
        document++;
        Object value = documents.nextValue();
        if (value == null) {
          continue;
        }
        collect(value, "document " + document, objects);
      }
    } catch (JacksonException e) {
      throw new ManifestException(
          "document %d is not valid YAML or JSON: %s"
              .formatted(Math.max(document, 1), firstLine(e)),
          e);
    }
    return objects;
  }

  /** Like {@link #parse(String)}, as fabric8 generic resources. */
  public static List<GenericKubernetesResource> parseResources(String text) {
    return parse(text).stream().map(Manifests::toResource).toList();
  }

  /** Exactly one object, for callers that hold a single manifest. */
  public static Map<String, Object> parseOne(String text) {
    List<Map<String, Object>> objects = parse(text);
    if (objects.size() != 1) {
      throw new ManifestException(
          "expected exactly one Kubernetes object, found " + objects.size());
    }
    return objects.get(0);
  }

  static GenericKubernetesResource toResource(Map<String, Object> object) {
    return Serialization.INSTANCE.convertValue(object, GenericKubernetesResource.class);
  }

  private static void collect(Object value, String where, List<Map<String, Object>> into) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new ManifestException(
          where
              + " is not a Kubernetes object (expected a mapping with"
              + " apiVersion and kind, found "
              + describe(value)
              + ")");
    }
    Object apiVersion = map.get("apiVersion");
    Object kind = map.get("kind");
    if (!(kind instanceof String k) || k.isBlank()) {
      throw new ManifestException(where + " has no kind");
    }
    if (k.endsWith("List") && map.get("items") instanceof List<?> items) {
      for (int i = 0; i < items.size(); i++) {
        collect(items.get(i), where + " item " + (i + 1), into);
      }
      return;
    }
    if (!(apiVersion instanceof String a) || a.isBlank()) {
      throw new ManifestException(where + " (" + k + ") has no apiVersion");
    }
    if (map.get("metadata") != null && !(map.get("metadata") instanceof Map)) {
      throw new ManifestException(where + " (" + k + ") has metadata that is not a mapping");
    }
    Map<String, Object> object = new LinkedHashMap<>();
    map.forEach((key, v) -> object.put(String.valueOf(key), v));
    into.add(object);
  }

  private static String describe(Object value) {
    if (value instanceof List) {
      return "a list";
    }
    return "a " + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  private static String firstLine(JacksonException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
