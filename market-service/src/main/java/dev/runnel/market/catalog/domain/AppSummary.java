package dev.runnel.market.catalog.domain;

import org.semver4j.Semver;

/**
 * What the catalog shows for an app while a sync streams its versions: the newest stable version
 * (the newest pre-release when there is no stable one) and how many versions there are.
 */
public final class AppSummary {
  private IndexEntry best;
  private Semver bestVersion;
  private int versions;

  public void offer(IndexEntry entry) {
    versions++;
    if (best == null || better(entry)) {
      best = entry;
      bestVersion = null;
    }
  }

  /**
   * semver4j's order, parsing only when major, minor and patch are equal: a sync offers every
   * version of an index, and parsing each cost more than the comparisons.
   */
  private boolean better(IndexEntry entry) {
    if (entry.prerelease() != best.prerelease()) {
      return !entry.prerelease();
    }
    int core = ChartVersions.compareCore(entry.version(), best.version());
    if (core != 0 && core != ChartVersions.UNKNOWN) {
      return core > 0;
    }
    if (bestVersion == null) {
      bestVersion = ChartVersions.parse(best.version());
    }
    return ChartVersions.parse(entry.version()).compareTo(bestVersion) > 0;
  }

  public IndexEntry latest() {
    return best;
  }

  public int versions() {
    return versions;
  }
}
