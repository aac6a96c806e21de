package dev.runnel.sandbox.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merge patches. JSON merge patch (RFC 7386) replaces lists; strategic merge patch merges the lists
 * Kubernetes declares with a patch merge key (containers by name, ports by port, ...) and honours
 * the {@code $patch: delete|replace} directives. The merge keys are a fixed table of the common
 * built-in fields, not read from OpenAPI schemas: an approximation that covers the workloads Helm
 * charts render.
 */
public final class Patches {

  private static final Map<String, String> MERGE_KEYS =
      Map.ofEntries(
          Map.entry("containers", "name"),
          Map.entry("initContainers", "name"),
          Map.entry("ephemeralContainers", "name"),
          Map.entry("volumes", "name"),
          Map.entry("env", "name"),
          Map.entry("imagePullSecrets", "name"),
          Map.entry("volumeMounts", "mountPath"),
          Map.entry("volumeDevices", "devicePath"),
          Map.entry("hostAliases", "ip"),
          Map.entry("ownerReferences", "uid"),
          Map.entry("conditions", "type"));

  private Patches() {}

  /** RFC 7386: objects merge, {@code null} deletes, everything else replaces. */
  public static JsonNode jsonMerge(JsonNode target, JsonNode patch) {
    return merge(target, patch, false, null);
  }

  /** Strategic merge as approximated here; also the merge used for server-side apply. */
  public static JsonNode strategicMerge(JsonNode target, JsonNode patch) {
    return merge(target, patch, true, null);
  }

  /**
   * What a manager stopped applying: a strategic patch that removes the fields and keyed list
   * elements present in its previous configuration and absent from its new one. This is how
   * server-side apply drops fields a manager no longer owns, reduced to a single manager.
   */
  public static ObjectNode removals(JsonNode previous, JsonNode current) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    for (String name : previous.propertyNames()) {
      JsonNode before = previous.get(name);
      JsonNode now = current.get(name);
      if (name.startsWith("$")) {
        continue;
      }
      boolean gone = now == null || now.isNull();
      if (gone && before.isObject()) {
        // Only the keys this manager set go; others' keys in the same map stay.
        ObjectNode nested = removals(before, JsonNodeFactory.instance.objectNode());
        if (!nested.isEmpty()) {
          patch.set(name, nested);
        }
      } else if (gone && before.isArray() && mergeKey(name, (ArrayNode) before) != null) {
        patch.set(
            name, listRemovals(name, (ArrayNode) before, JsonNodeFactory.instance.arrayNode()));
      } else if (gone) {
        patch.putNull(name);
      } else if (before.isObject() && now.isObject()) {
        ObjectNode nested = removals(before, now);
        if (!nested.isEmpty()) {
          patch.set(name, nested);
        }
      } else if (before.isArray() && now.isArray() && !name.equals("finalizers")) {
        ArrayNode list = listRemovals(name, (ArrayNode) before, (ArrayNode) now);
        if (list != null && !list.isEmpty()) {
          patch.set(name, list);
        }
      }
    }
    return patch;
  }

  private static ArrayNode listRemovals(String field, ArrayNode before, ArrayNode now) {
    String key = mergeKey(field, before);
    if (key == null) {
      return null;
    }
    List<JsonNode> current = new ArrayList<>();
    now.forEach(current::add);
    ArrayNode result = JsonNodeFactory.instance.arrayNode();
    for (JsonNode element : before) {
      JsonNode id = element.get(key);
      if (id == null) {
        continue;
      }
      int index = indexOf(current, key, id);
      if (index < 0) {
        ObjectNode delete = result.addObject();
        delete.set(key, id);
        delete.put("$patch", "delete");
      } else {
        ObjectNode nested = removals(element, current.get(index));
        if (!nested.isEmpty()) {
          nested.set(key, id);
          result.add(nested);
        }
      }
    }
    return result;
  }

  private static JsonNode merge(JsonNode target, JsonNode patch, boolean strategic, String field) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    if (strategic && "replace".equals(patch.path("$patch").asString(""))) {
      ObjectNode replaced = (ObjectNode) patch.deepCopy();
      replaced.remove("$patch");
      return replaced;
    }
    ObjectNode result =
        target != null && target.isObject()
            ? (ObjectNode) target.deepCopy()
            : JsonNodeFactory.instance.objectNode();
    for (String name : patch.propertyNames()) {
      JsonNode value = patch.get(name);
      if (name.startsWith("$")) {
        continue;
      }
      if (value.isNull()) {
        result.remove(name);
      } else if (value.isObject()) {
        result.set(name, merge(result.get(name), value, strategic, name));
      } else if (value.isArray() && strategic && result.path(name).isArray()) {
        result.set(name, mergeList((ArrayNode) result.get(name), (ArrayNode) value, name));
      } else {
        result.set(name, strip(value.deepCopy()));
      }
    }
    return result;
  }

  private static JsonNode mergeList(ArrayNode target, ArrayNode patch, String field) {
    if (field.equals("finalizers")) {
      ArrayNode union = target.deepCopy();
      for (JsonNode item : patch) {
        if (!contains(union, item)) {
          union.add(item);
        }
      }
      return union;
    }
    String key = mergeKey(field, patch.isEmpty() ? target : patch);
    if (key == null) {
      return strip(patch.deepCopy());
    }
    List<JsonNode> items = new ArrayList<>();
    target.forEach(items::add);
    for (JsonNode element : patch) {
      JsonNode id = element.get(key);
      int index = indexOf(items, key, id);
      if ("delete".equals(element.path("$patch").asString(""))) {
        if (index >= 0) {
          items.remove(index);
        }
      } else if (index >= 0) {
        items.set(index, merge(items.get(index), element, true, field));
      } else {
        items.add(strip(element.deepCopy()));
      }
    }
    ArrayNode result = JsonNodeFactory.instance.arrayNode();
    items.forEach(result::add);
    return result;
  }

  /** Ports are keyed by containerPort inside containers and by port inside a Service. */
  private static String mergeKey(String field, ArrayNode sample) {
    if (field.equals("ports")) {
      for (JsonNode item : sample) {
        if (item.has("containerPort")) {
          return "containerPort";
        }
        if (item.has("port")) {
          return "port";
        }
      }
      return null;
    }
    return MERGE_KEYS.get(field);
  }

  private static int indexOf(List<JsonNode> items, String key, JsonNode id) {
    if (id == null) {
      return -1;
    }
    for (int i = 0; i < items.size(); i++) {
      if (id.equals(items.get(i).get(key))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean contains(ArrayNode array, JsonNode item) {
    for (JsonNode existing : array) {
      if (existing.equals(item)) {
        return true;
      }
    }
    return false;
  }

  /** Drops patch directives from values that are stored as they are. */
  private static JsonNode strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> directives =
          object.propertyNames().stream().filter(n -> n.startsWith("$")).toList();
      object.remove(directives);
      object.propertyNames().forEach(n -> strip(object.get(n)));
    } else if (node instanceof ArrayNode array) {
      array.forEach(Patches::strip);
    }
    return node;
  }
}
