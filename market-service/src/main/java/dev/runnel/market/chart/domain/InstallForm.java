package dev.runnel.market.chart.domain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings a user can fill in to install a chart version: from {@code values.schema.json} when
 * the chart has one, otherwise inferred from the scalars of {@code values.yaml}.
 *
 * @param source {@code schema}, {@code values} or {@code none} (the chart has neither)
 */
public record InstallForm(String source, List<FormField> fields) {
  static final int MAX_FIELDS = 10_000;
  static final int MAX_DEPTH = 32;

  public InstallForm {
    fields = List.copyOf(fields);
  }

  /**
   * Builds the form.
   *
   * @param schema the parsed JSON schema (maps, lists, scalars) or null
   * @param values the parsed default values or null; fills defaults the schema does not state
   */
  public static InstallForm of(Map<?, ?> schema, Map<?, ?> values) {
    Budget budget = new Budget();
    if (schema != null) {
      return new InstallForm("schema", fromSchema(schema, schema, values, "", budget, 0));
    }
    if (values != null) {
      return new InstallForm("values", fromValues(values, "", budget, 0));
    }
    return new InstallForm("none", List.of());
  }

  private static List<FormField> fromSchema(
      Map<?, ?> root, Map<?, ?> node, Map<?, ?> values, String prefix, Budget budget, int depth) {
    List<FormField> out = new ArrayList<>();
    Map<?, ?> resolved = resolve(root, node, 0);
    if (depth > MAX_DEPTH || !(resolved.get("properties") instanceof Map<?, ?> properties)) {
      return out;
    }
    Set<String> required = new HashSet<>();
    if (resolved.get("required") instanceof Collection<?> r) {
      r.forEach(x -> required.add(String.valueOf(x)));
    }
    for (Map.Entry<?, ?> e : properties.entrySet()) {
      if (!(e.getValue() instanceof Map<?, ?> raw) || !budget.take()) {
        continue;
      }
      String key = String.valueOf(e.getKey());
      String path = ValuesPaths.join(prefix, key);
      Map<?, ?> property = resolve(root, raw, 0);
      Object valueDefault = values == null ? null : values.get(key);
      String type = schemaType(property.get("type"));
      if (type == null) {
        type = property.get("properties") instanceof Map<?, ?> ? "object" : inferType(valueDefault);
      }
      List<FormField> nested =
          "object".equals(type)
              ? fromSchema(
                  root,
                  property,
                  valueDefault instanceof Map<?, ?> vm ? vm : null,
                  path,
                  budget,
                  depth + 1)
              : List.of();
      Object defaultValue =
          property.containsKey("default")
              ? property.get("default")
              : ("object".equals(type) ? null : valueDefault);
      String items = null;
      if ("array".equals(type) && property.get("items") instanceof Map<?, ?> itemSchema) {
        items = schemaType(resolve(root, itemSchema, 0).get("type"));
      }
      out.add(
          new FormField(
              path,
              key,
              type,
              text(property.get("title")),
              text(property.get("description")),
              defaultValue,
              property.get("enum") instanceof List<?> en ? new ArrayList<>(en) : null,
              required.contains(key),
              number(property.get("minimum")),
              number(property.get("maximum")),
              integer(property.get("minLength")),
              integer(property.get("maxLength")),
              text(property.get("pattern")),
              items,
              nested));
    }
    return out;
  }

  private static List<FormField> fromValues(
      Map<?, ?> values, String prefix, Budget budget, int depth) {
    List<FormField> out = new ArrayList<>();
    if (depth > MAX_DEPTH) {
      return out;
    }
    for (Map.Entry<?, ?> e : values.entrySet()) {
      if (!budget.take()) {
        break;
      }
      String key = String.valueOf(e.getKey());
      String path = ValuesPaths.join(prefix, key);
      Object value = e.getValue();
      String type = inferType(value);
      List<FormField> nested =
          value instanceof Map<?, ?> m ? fromValues(m, path, budget, depth + 1) : List.of();
      String items = null;
      if (value instanceof List<?> list && !list.isEmpty()) {
        items = inferType(list.get(0));
      }
      out.add(
          new FormField(
              path,
              key,
              type,
              null,
              null,
              value instanceof Map<?, ?> ? null : value,
              null,
              false,
              null,
              null,
              null,
              null,
              null,
              items,
              nested));
    }
    return out;
  }

  /** Follows local {@code $ref}s ({@code #/definitions/x}, {@code #/$defs/x}), a few deep. */
  private static Map<?, ?> resolve(Map<?, ?> root, Map<?, ?> node, int hops) {
    if (hops > 8 || !(node.get("$ref") instanceof String ref) || !ref.startsWith("#/")) {
      return node;
    }
    Object target = root;
    for (String part : ref.substring(2).split("/")) {
      String key = part.replace("~1", "/").replace("~0", "~");
      if (!(target instanceof Map<?, ?> m)) {
        return node;
      }
      target = m.get(key);
    }
    return target instanceof Map<?, ?> t ? resolve(root, t, hops + 1) : node;
  }

  /** JSON schema allows a list of types ({@code ["string", "null"]}); the first non-null one. */
  private static String schemaType(Object type) {
    if (type instanceof String s) {
      return s;
    }
    if (type instanceof List<?> list) {
      for (Object t : list) {
        if (t != null && !"null".equals(t)) {
          return String.valueOf(t);
        }
      }
    }
    return null;
  }

  static String inferType(Object value) {
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
      return "integer";
    }
    if (value instanceof Number) {
      return "number";
    }
    if (value instanceof Map<?, ?>) {
      return "object";
    }
    if (value instanceof List<?>) {
      return "array";
    }
    return "string";
  }

  private static String text(Object o) {
    return o instanceof Map<?, ?> || o instanceof List<?> || o == null ? null : String.valueOf(o);
  }

  private static Number number(Object o) {
    return o instanceof Number n ? n : null;
  }

  private static Integer integer(Object o) {
    return o instanceof Number n ? n.intValue() : null;
  }

  /** Bounds the work a hostile schema or values file can cause. */
  private static final class Budget {
    private int left = MAX_FIELDS;

    boolean take() {
      return left-- > 0;
    }
  }
}
