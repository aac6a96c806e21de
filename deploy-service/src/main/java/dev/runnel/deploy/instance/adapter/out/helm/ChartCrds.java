package dev.runnel.deploy.instance.adapter.out.helm;

import dev.runnel.deploy.instance.domain.InstanceLabels;
import dev.runnel.deploy.instance.domain.ManifestObject;
import dev.runnel.health.ManifestException;
import dev.runnel.health.Manifests;
import dev.runnel.kit.problem.Problem;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The CustomResourceDefinitions of a chart's {@code crds/} folders, read as Helm reads them: plain
 * YAML (or JSON) files, never templated, of the chart and of each subchart under {@code charts/}.
 * Only CustomResourceDefinitions of {@code apiextensions.k8s.io/v1} are accepted: anything else in
 * {@code crds/} would be applied cluster-wide, outside every check the templates go through, so the
 * whole chart is refused with a problem naming the file and the object, and nothing is applied.
 */
final class ChartCrds {
  static final String API_VERSION = "apiextensions.k8s.io/v1";
  static final String KIND = "CustomResourceDefinition";

  private ChartCrds() {}

  /** The CRDs in file order (chart first, then subcharts by name), labelled for the instance. */
  static List<ManifestObject> read(Path chart, UUID instanceId) throws IOException {
    List<ManifestObject> out = new ArrayList<>();
    collect(chart, chart, instanceId, out);
    return out;
  }

  private static void collect(Path top, Path chart, UUID instanceId, List<ManifestObject> out)
      throws IOException {
    Path crds = chart.resolve("crds");
    if (Files.isDirectory(crds)) {
      try (Stream<Path> files = Files.walk(crds)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          if (manifestFile(f)) {
            read(top.getParent().relativize(f).toString(), f, instanceId, out);
          }
        }
      }
    }
    Path charts = chart.resolve("charts");
    if (Files.isDirectory(charts)) {
      try (Stream<Path> subs = Files.list(charts)) {
        for (Path sub : subs.filter(Files::isDirectory).sorted().toList()) {
          if (Files.isRegularFile(sub.resolve("Chart.yaml"))) {
            collect(top, sub, instanceId, out);
          }
        }
      }
    }
  }

  /** Helm reads {@code .yaml}, {@code .yml} and {@code .json} files of {@code crds/}. */
  private static boolean manifestFile(Path f) {
    String name = f.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  private static void read(String file, Path path, UUID instanceId, List<ManifestObject> out)
      throws IOException {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (MalformedInputException e) {
      throw refused(file, "is not UTF-8 text");
    }
    List<Map<String, Object>> docs;
    try {
      docs = Manifests.parse(text);
    } catch (ManifestException e) {
      throw refused(file, "is not valid YAML: " + e.getMessage());
    }
    for (Map<String, Object> body : docs) {
      out.add(crd(file, body, instanceId));
    }
  }

  @SuppressWarnings("unchecked")
  private static ManifestObject crd(String file, Map<String, Object> body, UUID instanceId) {
    Object kind = body.get("kind");
    Object apiVersion = body.get("apiVersion");
    Map<String, Object> metadata =
        body.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    String name =
        metadata == null || metadata.get("name") == null ? null : "" + metadata.get("name");
    if (!KIND.equals(kind) || !API_VERSION.equals(apiVersion)) {
      throw refused(
          file,
          "holds "
              + (kind == null ? "an object without kind" : "a " + apiVersion + " " + kind)
              + (name == null ? "" : " '" + name + "'")
              + "; only "
              + API_VERSION
              + " "
              + KIND
              + " objects belong in crds/ (Helm applies that folder untemplated, before"
              + " everything else)");
    }
    Map<String, Object> spec =
        body.get("spec") instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of();
    Map<String, Object> names =
        spec.get("names") instanceof Map<?, ?> n ? (Map<String, Object>) n : Map.of();
    Object group = spec.get("group");
    Object plural = names.get("plural");
    if (group == null
        || plural == null
        || names.get("kind") == null
        || !(spec.get("versions") instanceof List<?> versions)
        || versions.isEmpty()) {
      throw refused(
          file,
          "holds CustomResourceDefinition "
              + (name == null ? "without a name" : "'" + name + "'")
              + " without spec.group, spec.names.plural, spec.names.kind or spec.versions");
    }
    if (!(plural + "." + group).equals(name)) {
      throw refused(
          file,
          "holds CustomResourceDefinition '"
              + name
              + "', but the API server only accepts the name '"
              + plural
              + "."
              + group
              + "' (spec.names.plural.spec.group)");
    }
    // Cluster-scoped: a namespace there means nothing to the API server.
    metadata.remove("namespace");
    Map<String, Object> copy = new LinkedHashMap<>(body);
    InstanceLabels.apply(copy, instanceId);
    return new ManifestObject(API_VERSION, KIND, null, name, copy);
  }

  private static Problem refused(String file, String why) {
    return Problem.invalid("chart", "the chart's " + file + " " + why + "; nothing was applied");
  }
}
