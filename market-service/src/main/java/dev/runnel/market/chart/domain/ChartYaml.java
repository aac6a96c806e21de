package dev.runnel.market.chart.domain;

import dev.runnel.market.chart.domain.InvalidChartException.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/** Reads and validates {@code Chart.yaml} the way Helm does, but stricter where Helm is lax. */
public final class ChartYaml {
  /**
   * Lower-case letters, digits and dashes, starting and ending with a letter or digit, at most 63
   * characters: the chart name becomes part of Kubernetes object names and URLs.
   */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private ChartYaml() {}

  public static ChartMetadata parse(String text) {
    Object root;
    try {
      root = SafeYaml.load(text);
    } catch (IllegalArgumentException e) {
      throw invalid("is not valid YAML: " + e.getMessage());
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw invalid("must be a YAML mapping of fields");
    }
    String apiVersion = string(map, "apiVersion");
    if (!"v1".equals(apiVersion) && !"v2".equals(apiVersion)) {
      throw invalid(
          "apiVersion must be v1 or v2, not "
              + (apiVersion == null ? "missing" : quote(apiVersion)));
    }
    String name = string(map, "name");
    if (name == null || name.isEmpty()) {
      throw invalid("needs a name");
    }
    if (!NAME.matcher(name).matches()) {
      throw invalid(
          "name "
              + quote(name)
              + " is not DNS-safe: use at most 63 lower-case letters, digits and dashes,"
              + " starting and ending with a letter or digit");
    }
    String version = string(map, "version");
    if (version == null || version.isEmpty()) {
      throw invalid("needs a version");
    }
    if (!strictSemver(version)) {
      throw invalid(
          "version "
              + quote(version)
              + " is not a semantic version (MAJOR.MINOR.PATCH, for example 1.4.0 or 2.0.0-rc.1)");
    }
    String type = string(map, "type");
    if (type == null || type.isEmpty()) {
      type = "application";
    }
    if (!type.equals("application") && !type.equals("library")) {
      throw invalid("type must be application or library, not " + quote(type));
    }
    if ("v1".equals(apiVersion) && type.equals("library")) {
      throw invalid("library charts need apiVersion v2");
    }
    Object deprecated = map.get("deprecated");
    if (deprecated != null && !(deprecated instanceof Boolean)) {
      throw invalid("deprecated must be true or false");
    }
    return new ChartMetadata(
        apiVersion,
        name,
        version,
        string(map, "appVersion"),
        string(map, "description"),
        type,
        string(map, "home"),
        string(map, "icon"),
        string(map, "kubeVersion"),
        Boolean.TRUE.equals(deprecated),
        strings(map, "keywords"),
        strings(map, "sources"),
        maintainers(map),
        dependencies(map),
        annotations(map));
  }

  /** semver4j forgives a leading {@code v}; a chart version written that way is refused. */
  public static boolean strictSemver(String version) {
    Semver parsed = Semver.parse(version);
    return parsed != null && parsed.getVersion().equals(version);
  }

  private static List<ChartMetadata.Maintainer> maintainers(Map<?, ?> map) {
    List<ChartMetadata.Maintainer> out = new ArrayList<>();
    for (Object item : list(map, "maintainers")) {
      if (!(item instanceof Map<?, ?> m)) {
        throw invalid("each maintainer must be a mapping with name, email and url");
      }
      out.add(
          new ChartMetadata.Maintainer(string(m, "name"), string(m, "email"), string(m, "url")));
    }
    return out;
  }

  private static List<ChartMetadata.Dependency> dependencies(Map<?, ?> map) {
    List<ChartMetadata.Dependency> out = new ArrayList<>();
    for (Object item : list(map, "dependencies")) {
      if (!(item instanceof Map<?, ?> d) || string(d, "name") == null) {
        throw invalid("each dependency must be a mapping with at least a name");
      }
      out.add(
          new ChartMetadata.Dependency(
              string(d, "name"),
              string(d, "version"),
              string(d, "repository"),
              string(d, "condition"),
              string(d, "alias"),
              strings(d, "tags")));
    }
    return out;
  }

  private static Map<String, String> annotations(Map<?, ?> map) {
    Object raw = map.get("annotations");
    if (raw == null) {
      return Map.of();
    }
    if (!(raw instanceof Map<?, ?> m)) {
      throw invalid("annotations must be a mapping of names to strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> || v instanceof List<?>) {
            throw invalid("annotation " + quote(String.valueOf(k)) + " must be a string");
          }
          out.put(String.valueOf(k), v == null ? "" : String.valueOf(v));
        });
    return out;
  }

  private static String string(Map<?, ?> map, String key) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Map<?, ?> || v instanceof List<?>) {
      throw invalid(key + " must be a single value");
    }
    return String.valueOf(v);
  }

  private static List<?> list(Map<?, ?> map, String key) {
    Object v = map.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw invalid(key + " must be a list");
    }
    return l;
  }

  private static List<String> strings(Map<?, ?> map, String key) {
    List<String> out = new ArrayList<>();
    for (Object item : list(map, key)) {
      if (item instanceof Map<?, ?> || item instanceof List<?>) {
        throw invalid(key + " must be a list of strings");
      }
      if (item != null) {
        out.add(String.valueOf(item));
      }
    }
    return out;
  }

  private static String quote(String s) {
    String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return "'" + shown + "'";
  }

  private static InvalidChartException invalid(String message) {
    return new InvalidChartException(Reason.INVALID_CHART_YAML, "Chart.yaml " + message);
  }
}
