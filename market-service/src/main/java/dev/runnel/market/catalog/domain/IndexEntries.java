package dev.runnel.market.catalog.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one raw index entry into an {@link IndexEntry}, or says why it is skipped. Skipped entries
 * are counted; the rest of the index is kept, as Helm itself does.
 */
public final class IndexEntries {
  private static final int MAX_TEXT = 4096;

  private IndexEntries() {}

  /** Why an entry was not taken into the catalog. */
  public static final class Skip extends RuntimeException {
    public Skip(String message) {
      super(message, null, false, false);
    }
  }

  public static IndexEntry from(String key, Map<String, Object> raw) {
    String name = text(raw.get("name"));
    if (name == null || name.isBlank()) {
      throw new Skip("an entry of '" + key + "' has no name");
    }
    if (!name.equals(key)) {
      throw new Skip("an entry named '" + name + "' is listed under '" + key + "'");
    }
    String version = text(raw.get("version"));
    if (version == null || version.isBlank()) {
      throw new Skip(key + ": an entry has no version");
    }
    ChartVersions.Kind kind = ChartVersions.check(version);
    if (kind == ChartVersions.Kind.NOT_A_VERSION) {
      throw new Skip(key + " " + version + ": the version is not a semantic version");
    }
    String digest = text(raw.get("digest"));
    if (digest != null) {
      digest = sha256(digest);
      if (digest == null) {
        throw new Skip(key + " " + version + ": the digest is not a sha256");
      }
    }
    List<String> urls = strings(raw.get("urls"));
    Map<?, ?> annotations = raw.get("annotations") instanceof Map<?, ?> m ? m : Map.of();
    List<String> categories = new ArrayList<>();
    for (String key2 : List.of("category", "artifacthub.io/category")) {
      String value = text(annotations.get(key2));
      if (value != null && !value.isBlank()) {
        categories.add(value.strip().toLowerCase(Locale.ROOT));
      }
    }
    return new IndexEntry(
        name,
        version,
        limit(text(raw.get("appVersion"))),
        limit(text(raw.get("description"))),
        digest,
        urls,
        Boolean.TRUE.equals(raw.get("deprecated")) || "true".equals(raw.get("deprecated")),
        kind == ChartVersions.Kind.PRERELEASE,
        "library".equals(text(raw.get("type"))),
        keywords(raw.get("keywords")),
        categories,
        limit(text(raw.get("icon"))),
        limit(text(raw.get("home"))),
        instant(text(raw.get("created"))),
        raw);
  }

  /**
   * {@code (sha256:)?} and 64 hex digits, as lower-case hex without the prefix; null for anything
   * else. By hand rather than a regular expression: it runs for every version of every sync.
   */
  static String sha256(String digest) {
    int from = digest.length() == 71 && digest.startsWith("sha256:") ? 7 : 0;
    if (digest.length() - from != 64) {
      return null;
    }
    for (int i = from; i < digest.length(); i++) {
      char c = digest.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        return null;
      }
    }
    return digest.substring(from).toLowerCase(Locale.ROOT);
  }

  /** Keywords stripped, lower case, without empty or overlong ones and duplicates, in order. */
  private static List<String> keywords(Object value) {
    List<String> raw = strings(value);
    if (raw.isEmpty()) {
      return List.of();
    }
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String k : raw) {
      String keyword = k.strip().toLowerCase(Locale.ROOT);
      if (!keyword.isEmpty() && keyword.length() <= 128) {
        out.add(keyword);
      }
    }
    return List.copyOf(out);
  }

  private static String text(Object value) {
    return value instanceof String s ? s : value == null ? null : String.valueOf(value);
  }

  private static String limit(String s) {
    return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
  }

  private static List<String> strings(Object value) {
    if (!(value instanceof List<?> list)) {
      return List.of();
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object o : list) {
      if (o != null && !(o instanceof Map) && !(o instanceof List)) {
        out.add(String.valueOf(o));
      }
    }
    return out;
  }

  static Instant instant(String raw) {
    if (raw == null) {
      return null;
    }
    Instant fast = rfc3339(raw);
    if (fast != null) {
      return fast;
    }
    try {
      return OffsetDateTime.parse(raw).toInstant();
    } catch (DateTimeParseException e) {
      // Helm writes RFC 3339; anything else is shown as unknown rather than refusing the entry.
      return null;
    }
  }

  /**
   * The shape Helm writes, {@code 2023-10-12T10:13:37.466385+00:00} or with {@code Z}, read by
   * hand: {@link OffsetDateTime#parse} cost as much CPU per entry as parsing the entry's YAML.
   * Anything else (or out of range) returns null and takes the formatter's path.
   */
  private static Instant rfc3339(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && Character.isDigit(s.charAt(i))) {
        nanos = nanos * 10 + (s.charAt(i) - '0');
        i++;
      }
      if (i == start || (i < n && Character.isDigit(s.charAt(i)))) {
        return null;
      }
      for (int k = i - start; k < 9; k++) {
        nanos *= 10;
      }
    }
    ZoneOffset offset;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offset = ZoneOffset.UTC;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, i + 3);
      int om = digits(s, i + 4, i + 6);
      if ((oh | om) < 0 || oh > 18 || om > 59) {
        return null;
      }
      int sign = s.charAt(i) == '-' ? -1 : 1;
      offset = ZoneOffset.ofTotalSeconds(sign * (oh * 3600 + om * 60));
    } else {
      return null;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(offset);
    } catch (DateTimeException e) {
      // Out of range (month 13, 25 o'clock): the formatter decides, as before.
      return null;
    }
  }

  /** The decimal number in {@code s[from, to)}, or -1 if any of it is not a digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
