package dev.runnel.market.chart.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a user reads before installing a chart version.
 *
 * @param values the chart's default {@code values.yaml}, as written (comments are documentation)
 * @param valuesSchema {@code values.schema.json} as written, or null
 * @param images container images the chart declares in its annotations
 * @param digest sha256 of the package
 */
public record ChartDetails(
    String name,
    String version,
    String appVersion,
    String description,
    String type,
    boolean deprecated,
    String home,
    String icon,
    String kubeVersion,
    List<String> keywords,
    List<String> sources,
    List<ChartMetadata.Maintainer> maintainers,
    List<ChartMetadata.Dependency> dependencies,
    List<Image> images,
    List<ChangeEntry> changelog,
    String readme,
    String values,
    String valuesSchema,
    String digest) {

  public ChartDetails {
    keywords = List.copyOf(keywords);
    sources = List.copyOf(sources);
    maintainers = List.copyOf(maintainers);
    dependencies = List.copyOf(dependencies);
    images = List.copyOf(images);
    changelog = List.copyOf(changelog);
  }

  /** A container image the chart runs, by its role in the chart and its reference. */
  public record Image(String name, String image) {}

  public static ChartDetails of(ChartArchive archive) {
    ChartMetadata m = archive.metadata();
    return new ChartDetails(
        m.name(),
        m.version(),
        m.appVersion(),
        m.description(),
        m.type(),
        m.deprecated(),
        m.home(),
        m.icon(),
        m.kubeVersion(),
        m.keywords(),
        m.sources(),
        m.maintainers(),
        m.dependencies(),
        images(m.annotations()),
        Changelog.of(m, archive.text("CHANGELOG.md")),
        readme(archive),
        archive.text("values.yaml"),
        archive.text("values.schema.json"),
        archive.digest());
  }

  private static String readme(ChartArchive archive) {
    for (String candidate : List.of("README.md", "README.txt", "README")) {
      String text = archive.text(candidate);
      if (text != null) {
        return text;
      }
    }
    return archive.paths().stream()
        .filter(p -> !p.contains("/") && p.equalsIgnoreCase("readme.md"))
        .findFirst()
        .map(archive::text)
        .orElse(null);
  }

  /**
   * Artifact Hub's {@code artifacthub.io/images}, or Bitnami's {@code images}: YAML lists of {@code
   * name}/{@code image}. Unreadable annotations are ignored (they are documentation).
   */
  static List<Image> images(Map<String, String> annotations) {
    List<Image> out = new ArrayList<>();
    for (String key : List.of("artifacthub.io/images", "images")) {
      String yaml = annotations.get(key);
      if (yaml == null || !out.isEmpty()) {
        continue;
      }
      Object parsed;
      try {
        parsed = SafeYaml.load(yaml);
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (parsed instanceof List<?> items) {
        for (Object item : items) {
          if (item instanceof Map<?, ?> i && i.get("image") != null) {
            out.add(
                new Image(
                    i.get("name") == null ? null : String.valueOf(i.get("name")),
                    String.valueOf(i.get("image"))));
          }
        }
      }
    }
    return out;
  }
}
