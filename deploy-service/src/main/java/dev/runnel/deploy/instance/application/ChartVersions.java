package dev.runnel.deploy.instance.application;

import java.util.Comparator;

/**
 * Semantic-version precedence (semver.org §11) for the versions an instance moves between: core
 * numbers first, a pre-release before its release, pre-release identifiers numeric before
 * alphanumeric; build metadata is ignored.
 */
final class ChartVersions {
  static final Comparator<String> PRECEDENCE = ChartVersions::compare;

  private ChartVersions() {}

  static int compare(String a, String b) {
    String[] x = split(a);
    String[] y = split(b);
    String[] xc = x[0].split("\\.");
    String[] yc = y[0].split("\\.");
    for (int i = 0; i < Math.max(xc.length, yc.length); i++) {
      int c = compareIdentifier(i < xc.length ? xc[i] : "0", i < yc.length ? yc[i] : "0");
      if (c != 0) {
        return c;
      }
    }
    if (x[1] == null || y[1] == null) {
      return x[1] == null ? (y[1] == null ? 0 : 1) : -1;
    }
    String[] xp = x[1].split("\\.");
    String[] yp = y[1].split("\\.");
    for (int i = 0; i < Math.min(xp.length, yp.length); i++) {
      int c = compareIdentifier(xp[i], yp[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(xp.length, yp.length);
  }

  /** {core, pre-release or null}. */
  private static String[] split(String version) {
    String v = version.startsWith("v") ? version.substring(1) : version;
    int plus = v.indexOf('+');
    if (plus >= 0) {
      v = v.substring(0, plus);
    }
    int dash = v.indexOf('-');
    return dash < 0
        ? new String[] {v, null}
        : new String[] {v.substring(0, dash), v.substring(dash + 1)};
  }

  private static int compareIdentifier(String a, String b) {
    boolean an = a.chars().allMatch(Character::isDigit) && !a.isEmpty();
    boolean bn = b.chars().allMatch(Character::isDigit) && !b.isEmpty();
    if (an && bn) {
      return new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b));
    }
    if (an != bn) {
      return an ? -1 : 1;
    }
    return a.compareTo(b);
  }
}
