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

  /** What {@link #check} found. */
  public enum Kind {
    NOT_A_VERSION,
    RELEASE,
    PRERELEASE
  }

  /**
   * The verdict of {@link #parse} without building a {@link Semver}: whether {@code raw} is a chart
   * version and whether it is a pre-release. The sync checks every version of an index; {@link
   * #parse} runs two regular expressions, BigInteger parsing and, for a bad version, an exception
   * with a formatted message, which on a freshly started service cost as much as reading the YAML.
   * The rules are those of {@link #LENIENT} plus the one semver4j's strict parse adds: a numeric
   * pre-release identifier has no leading zero ({@code ChartVersionsTest} compares the two).
   */
  public static Kind check(String raw) {
    if (raw == null || raw.isEmpty() || raw.length() > 128) {
      return Kind.NOT_A_VERSION;
    }
    int n = raw.length();
    int i = raw.charAt(0) == 'v' ? 1 : 0;
    i = number(raw, i);
    if (i < 0) {
      return Kind.NOT_A_VERSION;
    }
    for (int part = 0; part < 2 && i < n && raw.charAt(i) == '.'; part++) {
      i = number(raw, i + 1);
      if (i < 0) {
        return Kind.NOT_A_VERSION;
      }
    }
    boolean prerelease = false;
    if (i < n && raw.charAt(i) == '-') {
      i = identifiers(raw, i + 1, true);
      if (i < 0) {
        return Kind.NOT_A_VERSION;
      }
      prerelease = true;
    }
    if (i < n && raw.charAt(i) == '+') {
      i = identifiers(raw, i + 1, false);
      if (i < 0) {
        return Kind.NOT_A_VERSION;
      }
    }
    if (i != n) {
      return Kind.NOT_A_VERSION;
    }
    return prerelease ? Kind.PRERELEASE : Kind.RELEASE;
  }

  /**
   * What {@link #compareCore} returns when a version does not start with a chart version's core.
   */
  public static final int UNKNOWN = Integer.MIN_VALUE;

  /**
   * Compares the major, minor and patch numbers of two chart versions (a missing one is 0), the
   * first thing semver4j compares; {@link #UNKNOWN} when either does not start that way. When they
   * are equal only the pre-release decides, and that needs {@link #parse}.
   */
  public static int compareCore(String a, String b) {
    int ia = a.startsWith("v") ? 1 : 0;
    int ib = b.startsWith("v") ? 1 : 0;
    for (int part = 0; part < 3; part++) {
      long na = 0;
      long nb = 0;
      if (part == 0 || ia < a.length() && a.charAt(ia) == '.') {
        int end = number(a, part == 0 ? ia : ia + 1);
        if (end < 0) {
          return UNKNOWN;
        }
        na = Long.parseLong(a, part == 0 ? ia : ia + 1, end, 10);
        ia = end;
      }
      if (part == 0 || ib < b.length() && b.charAt(ib) == '.') {
        int end = number(b, part == 0 ? ib : ib + 1);
        if (end < 0) {
          return UNKNOWN;
        }
        nb = Long.parseLong(b, part == 0 ? ib : ib + 1, end, 10);
        ib = end;
      }
      if (na != nb) {
        return Long.compare(na, nb);
      }
    }
    return 0;
  }

  /** {@code 0|[1-9][0-9]{0,8}} from {@code i}: the index after it, or -1. */
  private static int number(String s, int i) {
    int n = s.length();
    if (i >= n || !digit(s.charAt(i))) {
      return -1;
    }
    int end = i + 1;
    if (s.charAt(i) != '0') {
      while (end < n && end - i < 9 && digit(s.charAt(end))) {
        end++;
      }
    }
    // A digit after the number can match nothing that follows in the pattern.
    return end < n && digit(s.charAt(end)) ? -1 : end;
  }

  /**
   * Dot-separated {@code [0-9A-Za-z-]+} from {@code i}: the index after them, or -1; for a
   * pre-release, an identifier of digits only must not start with 0 unless it is 0.
   */
  private static int identifiers(String s, int i, boolean prerelease) {
    int n = s.length();
    while (true) {
      int start = i;
      boolean digitsOnly = true;
      while (i < n) {
        char c = s.charAt(i);
        if (digit(c)) {
          i++;
        } else if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
          digitsOnly = false;
          i++;
        } else {
          break;
        }
      }
      if (i == start) {
        return -1;
      }
      if (prerelease && digitsOnly && i - start > 1 && s.charAt(start) == '0') {
        return -1;
      }
      if (i < n && s.charAt(i) == '.') {
        i++;
        continue;
      }
      return i;
    }
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  public static boolean isPrerelease(Semver v) {
    return !v.getPreRelease().isEmpty();
  }
}
