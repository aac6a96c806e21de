package dev.runnel.market.chart.domain;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Dotted paths of values keys, as users write them in {@code --set}. */
public final class ValuesPaths {
  private static final int MAX_PATHS = 20_000;
  private static final int MAX_DEPTH = 32;

  private ValuesPaths() {}

  static String join(String prefix, String key) {
    String segment =
        key.indexOf('.') >= 0 || key.indexOf('[') >= 0 || key.isEmpty()
            ? "[\"" + key.replace("\"", "\\\"") + "\"]"
            : key;
    if (prefix.isEmpty()) {
      return segment;
    }
    return segment.startsWith("[") ? prefix + segment : prefix + "." + segment;
  }

  /**
   * Every key path, nested ones too ({@code image}, {@code image.tag}): a key whose value is a list
   * or a scalar ends its path.
   */
  public static Set<String> of(Map<?, ?> values) {
    Set<String> out = new TreeSet<>();
    if (values != null) {
      collect(values, "", out, 0);
    }
    return out;
  }

  private static void collect(Map<?, ?> map, String prefix, Set<String> out, int depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (out.size() >= MAX_PATHS) {
        return;
      }
      String path = join(prefix, String.valueOf(e.getKey()));
      out.add(path);
      if (e.getValue() instanceof Map<?, ?> nested) {
        collect(nested, path, out, depth + 1);
      }
    }
  }

  /** Paths in {@code after} and not in {@code before}. */
  public static List<String> added(Set<String> before, Set<String> after) {
    return after.stream().filter(p -> !before.contains(p)).toList();
  }
}
