package dev.runnel.market.chart.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * Changelog entries from the two places charts keep them: a {@code CHANGELOG.md} with a heading per
 * version (the Bitnami and Keep a Changelog shapes), and Artifact Hub's {@code
 * artifacthub.io/changes} annotation, which describes the chart's own version only.
 */
public final class Changelog {
  public static final String CHANGES_ANNOTATION = "artifacthub.io/changes";
  private static final int MAX_ENTRIES = 5_000;
  private static final int MAX_DESCRIPTION = 2_000;
  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*)$");
  private static final Pattern VERSION =
      Pattern.compile(
          "(?<![0-9A-Za-z.])v?(\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?)");
  private static final Pattern BULLET = Pattern.compile("^\\s{0,3}[*+-]\\s+(.*)$");
  private static final Pattern MD_LINK =
      Pattern.compile("\\[([^\\]]{1,200})\\]\\((https?://[^)\\s]{1,500})\\)");

  private Changelog() {}

  /** Entries of the chart's CHANGELOG.md and annotation; the annotation wins for its version. */
  public static List<ChangeEntry> of(ChartMetadata metadata, String changelogMarkdown) {
    List<ChangeEntry> fromAnnotation =
        annotation(metadata.version(), metadata.annotations().get(CHANGES_ANNOTATION));
    List<ChangeEntry> out = new ArrayList<>(fromAnnotation);
    for (ChangeEntry e : markdown(changelogMarkdown)) {
      if (fromAnnotation.isEmpty() || !e.version().equals(metadata.version())) {
        out.add(e);
      }
      if (out.size() >= MAX_ENTRIES) {
        break;
      }
    }
    return out;
  }

  /** Bullet lines under headings that name a semantic version; other text is ignored. */
  static List<ChangeEntry> markdown(String text) {
    List<ChangeEntry> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    String version = null;
    int versionLevel = 0;
    for (String line : text.split("\r?\n")) {
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        int level = heading.group(1).length();
        Matcher v = VERSION.matcher(heading.group(2).replaceAll("<[^>]{0,20}>", " "));
        if (v.find() && Semver.parse(v.group(1)) != null) {
          version = v.group(1);
          versionLevel = level;
        } else if (level <= versionLevel) {
          // "## [Unreleased]" ends the previous version; "### Added" inside it does not.
          version = null;
        }
        continue;
      }
      Matcher bullet = BULLET.matcher(line);
      if (version != null && bullet.matches() && !bullet.group(1).isBlank()) {
        out.add(entry(version, null, bullet.group(1)));
        if (out.size() >= MAX_ENTRIES) {
          break;
        }
      }
    }
    return out;
  }

  /**
   * The annotation is YAML in a string: a list of plain descriptions, or of mappings with kind,
   * description and links. An annotation that is not that shape yields nothing rather than failing
   * the chart: it is documentation, not something the chart needs to work.
   */
  static List<ChangeEntry> annotation(String version, String yaml) {
    List<ChangeEntry> out = new ArrayList<>();
    if (yaml == null || yaml.isBlank()) {
      return out;
    }
    Object parsed;
    try {
      parsed = SafeYaml.load(yaml);
    } catch (IllegalArgumentException e) {
      return out;
    }
    if (!(parsed instanceof List<?> items)) {
      return out;
    }
    for (Object item : items) {
      if (item instanceof String s && !s.isBlank()) {
        out.add(entry(version, null, s));
      } else if (item instanceof Map<?, ?> m && m.get("description") != null) {
        List<ChangeEntry.Link> links = new ArrayList<>();
        if (m.get("links") instanceof List<?> ls) {
          for (Object l : ls) {
            if (l instanceof Map<?, ?> lm && lm.get("url") != null) {
              links.add(
                  new ChangeEntry.Link(
                      lm.get("name") == null ? null : String.valueOf(lm.get("name")),
                      String.valueOf(lm.get("url"))));
            }
          }
        }
        ChangeEntry e =
            entry(
                version,
                m.get("kind") == null ? null : String.valueOf(m.get("kind")),
                String.valueOf(m.get("description")));
        out.add(new ChangeEntry(e.version(), e.kind(), e.description(), links));
      }
      if (out.size() >= MAX_ENTRIES) {
        break;
      }
    }
    return out;
  }

  /** Entries for versions in {@code (from, to]}, newest first as the sources list them. */
  public static List<ChangeEntry> between(List<ChangeEntry> entries, Semver from, Semver to) {
    return entries.stream()
        .filter(
            e -> {
              Semver v = Semver.parse(e.version());
              return v != null && v.isGreaterThan(from) && !v.isGreaterThan(to);
            })
        .toList();
  }

  private static ChangeEntry entry(String version, String kind, String raw) {
    String description = raw.strip();
    List<ChangeEntry.Link> links = new ArrayList<>();
    Matcher link = MD_LINK.matcher(description);
    while (link.find() && links.size() < 20) {
      links.add(new ChangeEntry.Link(link.group(1), link.group(2)));
    }
    if (description.length() > MAX_DESCRIPTION) {
      description = description.substring(0, MAX_DESCRIPTION) + "…";
    }
    return new ChangeEntry(version, kind, description, links);
  }
}
