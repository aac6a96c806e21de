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
 * tests the attributes of the objects it could possibly match instead of every stored object. Each
 * key is held with the object's current JSON: answering from the index spares a lookup in fabric8's
 * map per object, which hashes and compares whole attribute sets and was most of the cost of
 * listing 150,000 pods (docs/benchmarks.md, "kube-sandbox at scale").
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

  /** A stored object: the key fabric8 keeps it under and its JSON as stored. */
  static final class Entry {
    private final AttributeSet key;
    private String json;

    private Entry(AttributeSet key, String json) {
      this.key = key;
      this.json = json;
    }

    AttributeSet key() {
      return key;
    }

    String json() {
      return json;
    }
  }

  /** plural → namespace ("" when cluster-scoped) → name → entries (more than one across groups). */
  private final Map<String, Map<String, Map<String, List<Entry>>>> byResource = new HashMap<>();

  private int size;

  /** Records {@code key}'s object as {@code json}, replacing what was stored under that key. */
  void put(AttributeSet key, String json) {
    Map<String, List<Entry>> names =
        byResource
            .computeIfAbsent(value(key, "plural"), p -> new LinkedHashMap<>())
            .computeIfAbsent(value(key, "namespace"), n -> new LinkedHashMap<>());
    List<Entry> entries = names.computeIfAbsent(value(key, "name"), n -> new ArrayList<>(1));
    for (Entry entry : entries) {
      if (entry.key.equals(key)) {
        entry.json = json;
        return;
      }
    }
    entries.add(new Entry(key, json));
    size++;
  }

  void remove(AttributeSet key) {
    Map<String, Map<String, List<Entry>>> namespaces = byResource.get(value(key, "plural"));
    if (namespaces == null) {
      return;
    }
    String namespace = value(key, "namespace");
    Map<String, List<Entry>> names = namespaces.get(namespace);
    if (names == null) {
      return;
    }
    String name = value(key, "name");
    List<Entry> entries = names.get(name);
    if (entries != null && entries.removeIf(entry -> entry.key.equals(key))) {
      size--;
      if (entries.isEmpty()) {
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

  /** The stored objects that match {@code query}, in the order they were stored per namespace. */
  List<Entry> matches(AttributeSet query) {
    List<Entry> found = new ArrayList<>();
    String plural = single(query, "plural");
    if (plural == null) {
      byResource.values().forEach(namespaces -> scan(namespaces, query, found::add));
    } else {
      Map<String, Map<String, List<Entry>>> namespaces = byResource.get(plural);
      if (namespaces != null) {
        scan(namespaces, query, found::add);
      }
    }
    return found;
  }

  private static void scan(
      Map<String, Map<String, List<Entry>>> namespaces,
      AttributeSet query,
      Consumer<Entry> action) {
    String namespace = single(query, "namespace");
    if (namespace == null) {
      for (Map<String, List<Entry>> names : namespaces.values()) {
        scanNames(names, query, action);
      }
    } else {
      Map<String, List<Entry>> names = namespaces.get(namespace);
      if (names != null) {
        scanNames(names, query, action);
      }
    }
  }

  private static void scanNames(
      Map<String, List<Entry>> names, AttributeSet query, Consumer<Entry> action) {
    String name = single(query, "name");
    if (name == null) {
      name = single(query, "metadata.name");
    }
    if (name == null) {
      for (List<Entry> entries : names.values()) {
        matching(entries, query, action);
      }
    } else {
      List<Entry> entries = names.get(name);
      if (entries != null) {
        matching(entries, query, action);
      }
    }
  }

  private static void matching(List<Entry> entries, AttributeSet query, Consumer<Entry> action) {
    for (Entry entry : entries) {
      if (entry.key.matches(query)) {
        action.accept(entry);
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
