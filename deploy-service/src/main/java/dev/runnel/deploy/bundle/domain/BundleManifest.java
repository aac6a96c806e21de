package dev.runnel.deploy.bundle.domain;

import java.time.Instant;

/**
 * {@code bundle.json}: what an exported instance was and where it came from.
 *
 * @param formatVersion {@link #FORMAT_VERSION}; a reader refuses any other
 * @param chartDigest {@code sha256:<hex>} of the chart package in the bundle
 * @param revision the revision the bundle's values and manifests are from
 */
public record BundleManifest(
    int formatVersion,
    String instanceName,
    String team,
    String repository,
    String chart,
    String version,
    String chartDigest,
    String sourceCluster,
    String sourceNamespace,
    RevisionInfo revision,
    Instant exportedAt,
    String exportedBy) {
  public static final int FORMAT_VERSION = 1;

  /**
   * @param actor who ran the operation that made the revision
   * @param status {@code deployed}, {@code superseded} or {@code failed}
   */
  public record RevisionInfo(int number, Instant createdAt, String actor, String status) {}

  /** Where the chart package sits in the bundle. */
  public String chartEntry() {
    return "chart/" + chart + "-" + version + ".tgz";
  }
}
