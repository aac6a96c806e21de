package dev.runnel.market.catalog.domain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * Turns one raw index entry into an {@link IndexEntry}, or says why it is skipped. Skipped entries
 * are counted; the rest of the index is kept, as Helm itself does.
 */
public final class IndexEntries {
  private static final Pattern DIGEST = Pattern.compile("(sha256:)?[0-9a-fA-F]{64}");
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
    Semver semver = ChartVersions.parse(version);
    if (semver == null) {
      throw new Skip(key + " " + version + ": the version is not a semantic version");
    }
    String digest = text(raw.get("digest"));
    if (digest != null && !DIGEST.matcher(digest).matches()) {
      throw new Skip(key + " " + version + ": the digest is not a sha256");
    }
    if (digest != null) {
      digest = digest.toLowerCase(Locale.ROOT).replace("sha256:", "");
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
        ChartVersions.isPrerelease(semver),
        "library".equals(text(raw.get("type"))),
        strings(raw.get("keywords")).stream()
            .map(k -> k.strip().toLowerCase(Locale.ROOT))
            .filter(k -> !k.isEmpty() && k.length() <= 128)
            .distinct()
            .toList(),
        categories,
        limit(text(raw.get("icon"))),
        limit(text(raw.get("home"))),
        instant(text(raw.get("created"))),
        raw);
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

  private static Instant instant(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(raw).toInstant();
    } catch (DateTimeParseException e) {
      // Helm writes RFC 3339; anything else is shown as unknown rather than refusing the entry.
      return null;
    }
  }
}
