package dev.runnel.audit.trail.domain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the trace id out of a W3C Trace Context {@code traceparent} value. */
public final class TraceParent {
  // version-traceid-parentid-flags; versions after 00 may append fields, 00 may not.
  private static final Pattern FORMAT =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
  private static final String INVALID_TRACE_ID = "0".repeat(32);

  private TraceParent() {}

  /** The trace id, or null when the value is absent or not a valid traceparent. */
  public static String traceId(String traceparent) {
    if (traceparent == null) {
      return null;
    }
    Matcher m = FORMAT.matcher(traceparent.strip());
    if (!m.matches()) {
      return null;
    }
    String version = m.group(1);
    if (version.equals("ff") || (version.equals("00") && m.group(5) != null)) {
      return null;
    }
    if (m.group(2).equals(INVALID_TRACE_ID) || m.group(3).equals("0".repeat(16))) {
      return null;
    }
    return m.group(2);
  }
}
