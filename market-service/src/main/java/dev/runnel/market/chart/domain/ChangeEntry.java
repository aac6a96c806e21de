package dev.runnel.market.chart.domain;

import java.util.List;

/**
 * One line of a chart's changelog.
 *
 * @param version the chart version it belongs to
 * @param kind {@code added}, {@code changed}, {@code fixed}, ... when the source says (Artifact
 *     Hub's {@code artifacthub.io/changes}); null for a plain CHANGELOG.md line
 * @param description the change, as written
 * @param links references the source gives
 */
public record ChangeEntry(String version, String kind, String description, List<Link> links) {
  public ChangeEntry {
    links = List.copyOf(links);
  }

  public record Link(String name, String url) {}
}
