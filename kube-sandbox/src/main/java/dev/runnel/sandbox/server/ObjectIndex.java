package dev.runnel.sandbox.server;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The keys of the stored objects, by resource (plural), namespace and name, so that a request only
 * tests the attributes of the objects it could possibly match instead of every stored object.
 *
 * <p>The narrowing is exact, never a guess: a stored key can only satisfy a request attribute of
 * type WITH and a single value ({@code plural=pods}, {@code namespace=a}, {@code name=web-0}) when
 * it carries that very attribute and value, so the objects outside the chosen buckets could not
 * have matched. Every candidate is still tested with {@link AttributeSet#matches}, as fabric8 does,
 * so versions, API groups, label and field selectors keep their meaning. A request without a single
 * plural (none in the sandbox's own paths) looks at every key, as before.
 *
 * <p>Not thread-safe: the dispatcher reads it under its read lock and changes it under its write
 * lock.
 */
final class ObjectIndex {

  private static final String NONE = "";

  /** plural → namespace ("" when cluster-scoped) → name → keys (more than one across groups). */
  private final Map<String, Map<String, Map<String, List<AttributeSet>>>> byResource =
      new HashMap<>();

  private int size;

  void add(AttributeSet key) {
    Map<String, List<AttributeSet>> names =
        byResource
            .computeIfAbsent(value(key, "plural"), p -> new LinkedHashMap<>())
            .computeIfAbsent(value(key, "namespace"), n -> new LinkedHashMap<>());
    List<AttributeSet> keys = names.computeIfAbsent(value(key, "name"), n -> new ArrayList<>(1));
    if (!keys.contains(key)) {
      keys.add(key);
      size++;
    }
  }

  void remove(AttributeSet key) {
    Map<String, Map<String, List<AttributeSet>>> namespaces = byResource.get(value(key, "plural"));
    if (namespaces == null) {
      return;
    }
    String namespace = value(key, "namespace");
    Map<String, List<AttributeSet>> names = namespaces.get(namespace);
    if (names == null) {
      return;
    }
    String name = value(key, "name");
    List<AttributeSet> keys = names.get(name);
    if (keys != null && keys.remove(key)) {
      size--;
      if (keys.isEmpty()) {
        names.remove(name);
      }
      if (names.isEmpty()) {
        namespaces.remove(namespace);
      }
    }
  }

  void clear() {
    byResource.clear();
    size = 0;
  }

  int size() {
    return size;
  }

  /** The stored keys that match {@code query}, in the order they were stored per namespace. */
  List<AttributeSet> matches(AttributeSet query) {
    List<AttributeSet> found = new ArrayList<>();
    String plural = single(query, "plural");
    if (plural == null) {
      byResource.values().forEach(namespaces -> scan(namespaces, query, found::add));
    } else {
      Map<String, Map<String, List<AttributeSet>>> namespaces = byResource.get(plural);
      if (namespaces != null) {
        scan(namespaces, query, found::add);
      }
    }
    return found;
  }

  private static void scan(
      Map<String, Map<String, List<AttributeSet>>> namespaces,
      AttributeSet query,
      Consumer<AttributeSet> action) {
    String namespace = single(query, "namespace");
    if (namespace == null) {
      for (Map<String, List<AttributeSet>> names : namespaces.values()) {
        scanNames(names, query, action);
      }
    } else {
      Map<String, List<AttributeSet>> names = namespaces.get(namespace);
      if (names != null) {
        scanNames(names, query, action);
      }
    }
  }

  private static void scanNames(
      Map<String, List<AttributeSet>> names, AttributeSet query, Consumer<AttributeSet> action) {
    String name = single(query, "name");
    if (name == null) {
      name = single(query, "metadata.name");
    }
    if (name == null) {
      for (List<AttributeSet> keys : names.values()) {
        matching(keys, query, action);
      }
    } else {
      List<AttributeSet> keys = names.get(name);
      if (keys != null) {
        matching(keys, query, action);
      }
    }
  }

  private static void matching(
      List<AttributeSet> keys, AttributeSet query, Consumer<AttributeSet> action) {
    for (AttributeSet key : keys) {
      if (key.matches(query)) {
        action.accept(key);
      }
    }
  }

  /** The value of a request attribute that only objects carrying the same value can satisfy. */
  private static String single(AttributeSet query, String attribute) {
    Attribute a = query.getAttribute(attribute);
    if (a == null || a.getType() != AttributeType.WITH || a.getValues().size() != 1) {
      return null;
    }
    return a.getValues().get(0).toString();
  }

  /** A stored key's own value, or "" when it has none (cluster-scoped objects' namespace). */
  private static String value(AttributeSet key, String attribute) {
    Attribute a = key.getAttribute(attribute);
    return a == null || a.getValues().isEmpty() ? NONE : a.getValues().get(0).toString();
  }
}
