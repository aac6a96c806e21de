package dev.runnel.deploy.instance.application;

import java.util.List;

/**
 * What an upgrade would change: unified diffs of the rendered manifests and of the user values, and
 * the chart's changelog entries in between.
 *
 * @param changelog entries of the versions in {@code (fromVersion, toVersion]} as the market lists
 *     them; for a downgrade, those in {@code (toVersion, fromVersion]} (what it takes back); empty
 *     when the version stays or the changelog is unavailable
 * @param changelogAvailable false when the market could not say; the diffs are still complete
 * @param changelogUnavailableReason why, when it is unavailable; else null
 */
public record UpgradePreview(
    String fromVersion,
    String toVersion,
    int fromRevision,
    String manifestDiff,
    String valuesDiff,
    boolean changes,
    List<ChangeEntry> changelog,
    boolean changelogAvailable,
    String changelogUnavailableReason) {

  public UpgradePreview {
    changelog = List.copyOf(changelog);
  }

  /** One changelog line, in market-service's shape. */
  public record ChangeEntry(String version, String kind, String description, List<Link> links) {
    public ChangeEntry {
      links = List.copyOf(links);
    }

    public record Link(String name, String url) {}
  }
}
