package dev.runnel.market.chart.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A chart version a team published into the built-in repository {@code local}.
 *
 * @param team the publishing team; null when a platform admin published for the platform
 * @param size the package's size in bytes
 */
public record PublishedChart(
    ChartMetadata metadata,
    String digest,
    long size,
    String team,
    String publishedBy,
    Instant publishedAt) {

  public PublishedChart {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(publishedAt, "publishedAt");
  }

  public String name() {
    return metadata.name();
  }

  public String version() {
    return metadata.version();
  }

  /** The aggregate id on the wire: {@code <name>-<version>}, as Helm names the package. */
  public String key() {
    return name() + "-" + version();
  }

  public static Change publish(
      ChartArchive archive, long size, String team, String actor, Instant now) {
    PublishedChart chart =
        new PublishedChart(archive.metadata(), archive.digest(), size, team, actor, now);
    return new Change(chart, new ChartEvent.Published(UUID.randomUUID(), now, chart));
  }

  public ChartEvent.Deleted delete(Instant now) {
    return new ChartEvent.Deleted(UUID.randomUUID(), now, this);
  }

  public record Change(PublishedChart chart, ChartEvent event) {}
}
