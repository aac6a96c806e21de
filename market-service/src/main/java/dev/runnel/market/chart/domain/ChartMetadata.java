package dev.runnel.market.chart.domain;

import java.util.List;
import java.util.Map;

/**
 * What a chart's {@code Chart.yaml} says, validated by {@link ChartYaml}.
 *
 * @param apiVersion {@code v1} or {@code v2}
 * @param name DNS-safe chart name
 * @param version strict semantic version
 * @param type {@code application} or {@code library}
 */
public record ChartMetadata(
    String apiVersion,
    String name,
    String version,
    String appVersion,
    String description,
    String type,
    String home,
    String icon,
    String kubeVersion,
    boolean deprecated,
    List<String> keywords,
    List<String> sources,
    List<Maintainer> maintainers,
    List<Dependency> dependencies,
    Map<String, String> annotations) {

  public ChartMetadata {
    keywords = List.copyOf(keywords);
    sources = List.copyOf(sources);
    maintainers = List.copyOf(maintainers);
    dependencies = List.copyOf(dependencies);
    annotations = Map.copyOf(annotations);
  }

  public boolean library() {
    return "library".equals(type);
  }

  public record Maintainer(String name, String email, String url) {}

  public record Dependency(
      String name,
      String version,
      String repository,
      String condition,
      String alias,
      List<String> tags) {
    public Dependency {
      tags = List.copyOf(tags);
    }
  }
}
