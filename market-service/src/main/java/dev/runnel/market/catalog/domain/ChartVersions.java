package dev.runnel.market.catalog.domain;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * Chart versions as Helm reads them: semantic versions, with the leniency of Helm's own parser (a
 * leading {@code v}, missing minor or patch). Anything else is not a chart version.
 */
public final class ChartVersions {
  private static final Pattern LENIENT =
      Pattern.compile(
          "v?(0|[1-9][0-9]{0,8})(?:\\.(0|[1-9][0-9]{0,8}))?(?:\\.(0|[1-9][0-9]{0,8}))?"
              + "(-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");

  /** Newest first: the order the catalog lists versions in. */
  public static final Comparator<String> NEWEST_FIRST =
      Comparator.comparing(ChartVersions::parse, Comparator.nullsLast(Comparator.reverseOrder()));

  private ChartVersions() {}

  /** The semantic version, or null when {@code raw} is not a chart version. */
  public static Semver parse(String raw) {
    if (raw == null || raw.length() > 128) {
      return null;
    }
    Matcher m = LENIENT.matcher(raw);
    if (!m.matches()) {
      return null;
    }
    String normal =
        m.group(1)
            + "."
            + (m.group(2) == null ? "0" : m.group(2))
            + "."
            + (m.group(3) == null ? "0" : m.group(3))
            + (m.group(4) == null ? "" : m.group(4))
            + (m.group(5) == null ? "" : m.group(5));
    return Semver.parse(normal);
  }

  public static boolean isPrerelease(Semver v) {
    return !v.getPreRelease().isEmpty();
  }
}
