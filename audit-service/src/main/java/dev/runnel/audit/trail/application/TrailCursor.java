package dev.runnel.audit.trail.application;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A position in the newest-first trail, opaque to clients: the seq of the last entry a page showed.
 * The next page holds only older entries, so entries appended while a client pages through neither
 * shift nor repeat what it sees.
 */
final class TrailCursor {
  private static final String PREFIX = "s1:";
  private static final Pattern SEQ = Pattern.compile("[1-9][0-9]{0,18}");

  private TrailCursor() {}

  static String encode(long seq) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + seq).getBytes(StandardCharsets.US_ASCII));
  }

  /** The seq, or null when the text was not produced by {@link #encode(long)}. */
  static Long decode(String raw) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
    if (!text.startsWith(PREFIX) || !SEQ.matcher(text.substring(PREFIX.length())).matches()) {
      return null;
    }
    try {
      return Long.parseLong(text.substring(PREFIX.length()));
    } catch (NumberFormatException beyondLong) {
      return null;
    }
  }
}
