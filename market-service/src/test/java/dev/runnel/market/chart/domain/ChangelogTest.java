package dev.runnel.market.chart.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.market.chart.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.semver4j.Semver;

class ChangelogTest {
  private static ChartMetadata chart(String version, Map<String, String> annotations) {
    return new ChartMetadata(
        "v2",
        "app",
        version,
        null,
        null,
        "application",
        null,
        null,
        null,
        false,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        annotations);
  }

  @Test
  void readsTheBitnamiChangelogOfARealChart() {
    ChartArchive nginx =
        new ChartArchiveReader(ChartLimits.DEFAULTS).read(Fixtures.chart("nginx-22.1.1.tgz"));
    List<ChangeEntry> entries = Changelog.of(nginx.metadata(), nginx.text("CHANGELOG.md"));
    assertThat(entries).hasSizeGreaterThan(50);
    assertThat(entries.get(0).version()).isEqualTo("22.1.1");
    // Headings like "## <small>21.1.23 (2025-08-18)</small>" are versions too.
    assertThat(entries).extracting(ChangeEntry::version).contains("21.1.23", "22.1.0");
    assertThat(Changelog.between(entries, Semver.parse("21.1.23"), Semver.parse("22.1.1")))
        .extracting(ChangeEntry::version)
        .containsOnly("22.1.1", "22.1.0");
  }

  @Test
  void keepAChangelogHeadingsAndBulletsAreEntries() {
    String md =
        "# Changelog\n\nIntro text.\n\n## [Unreleased]\n- not yet\n\n## [2.0.0] - 2025-02-01\n"
            + "### Added\n- Metrics\n+ Probes\n\n## v1.0.0\n* First\n";
    List<ChangeEntry> entries = Changelog.markdown(md);
    assertThat(entries)
        .extracting(ChangeEntry::version, ChangeEntry::description)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("2.0.0", "Metrics"),
            org.assertj.core.groups.Tuple.tuple("2.0.0", "Probes"),
            org.assertj.core.groups.Tuple.tuple("1.0.0", "First"));
  }

  @Test
  void theAnnotationDescribesTheChartsOwnVersionAndWinsOverTheMarkdownForIt() {
    ChartMetadata m =
        chart(
            "1.1.0",
            Map.of(
                Changelog.CHANGES_ANNOTATION,
                "- Plain line\n- kind: fixed\n  description: Probe timeout\n  links:\n"
                    + "    - name: Issue\n      url: https://example.org/1\n"));
    List<ChangeEntry> entries = Changelog.of(m, "## 1.1.0\n* from markdown\n## 1.0.0\n* older\n");
    assertThat(entries)
        .extracting(ChangeEntry::version, ChangeEntry::kind, ChangeEntry::description)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1.1.0", null, "Plain line"),
            org.assertj.core.groups.Tuple.tuple("1.1.0", "fixed", "Probe timeout"),
            org.assertj.core.groups.Tuple.tuple("1.0.0", null, "older"));
    assertThat(entries.get(1).links())
        .containsExactly(new ChangeEntry.Link("Issue", "https://example.org/1"));
  }

  @Test
  void anUnreadableAnnotationIsIgnoredNotFatal() {
    assertThat(
            Changelog.of(chart("1.0.0", Map.of(Changelog.CHANGES_ANNOTATION, "[unclosed")), null))
        .isEmpty();
    assertThat(
            Changelog.of(chart("1.0.0", Map.of(Changelog.CHANGES_ANNOTATION, "just: a map")), null))
        .isEmpty();
  }
}
