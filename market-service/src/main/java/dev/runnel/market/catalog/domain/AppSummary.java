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
    Semver v = ChartVersions.parse(entry.version());
    if (best == null || better(v, entry.prerelease(), bestVersion, best.prerelease())) {
      best = entry;
      bestVersion = v;
    }
  }

  private static boolean better(Semver v, boolean pre, Semver current, boolean currentPre) {
    if (pre != currentPre) {
      return !pre;
    }
    return v.compareTo(current) > 0;
  }

  public IndexEntry latest() {
    return best;
  }

  public int versions() {
    return versions;
  }
}
