package dev.runnel.market.catalog.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChartVersionsTest {
  @Test
  void versionsSortNewestFirstBySemanticVersionNotAsText() {
    List<String> versions =
        new ArrayList<>(
            List.of(
                "1.9.0",
                "1.10.0",
                "2.0.0-rc.1",
                "2.0.0",
                "1.10.0-beta.2",
                "v0.9",
                "1.10.0-beta.10"));
    versions.sort(ChartVersions.NEWEST_FIRST);
    assertThat(versions)
        .containsExactly(
            "2.0.0", "2.0.0-rc.1", "1.10.0", "1.10.0-beta.10", "1.10.0-beta.2", "1.9.0", "v0.9");
  }

  @Test
  void helmsLeniencyIsKeptAndEverythingElseRefused() {
    assertThat(ChartVersions.parse("v1.2")).isNotNull();
    assertThat(ChartVersions.parse("1")).isNotNull();
    assertThat(ChartVersions.parse("1.2.3+build.7")).isNotNull();
    assertThat(ChartVersions.isPrerelease(ChartVersions.parse("1.0.0-alpha"))).isTrue();
    assertThat(ChartVersions.isPrerelease(ChartVersions.parse("1.0.0+meta"))).isFalse();
    for (String bad :
        List.of("latest", "", "1.2.3.4", "01.2.3", "1.2.3-", "1.2.3 ", "x".repeat(200))) {
      assertThat(ChartVersions.parse(bad)).as(bad).isNull();
    }
    assertThat(ChartVersions.parse(null)).isNull();
  }

  @Test
  void theAppSummaryShowsTheNewestStableVersion() {
    AppSummary summary = new AppSummary();
    for (String v : List.of("1.0.0", "3.0.0-rc.1", "2.0.0", "1.5.0")) {
      summary.offer(entry(v));
    }
    assertThat(summary.latest().version()).isEqualTo("2.0.0");
    assertThat(summary.versions()).isEqualTo(4);
    AppSummary onlyPre = new AppSummary();
    onlyPre.offer(entry("1.0.0-alpha"));
    onlyPre.offer(entry("1.0.0-beta"));
    assertThat(onlyPre.latest().version()).isEqualTo("1.0.0-beta");
  }

  /** Versions built from the pieces that matter to the grammar, plus random ones. */
  private static List<String> candidates() {
    List<String> out = new ArrayList<>();
    String[] heads = {"", "v", "V", "vv", " "};
    String[] numbers = {"0", "1", "00", "01", "10", "123456789", "1234567890", "999999999", ""};
    String[] tails = {
      "", "-", "-0", "-00", "-01", "-0a", "-rc.1", "-rc.01", "-rc..1", "-a-b.c", "--", "-x.",
      "+", "+01", "+b.7", "+b..7", "-rc.1+b", "-1+", "+a-b", ".", "..", "-é", "_x", " "
    };
    for (String h : heads) {
      for (String a : numbers) {
        for (String b : new String[] {"", ".0", ".7", ".01", ".12", "."}) {
          for (String c : new String[] {"", ".3", ".03", ".10"}) {
            for (String t : tails) {
              out.add(h + a + b + c + t);
            }
          }
        }
      }
    }
    java.util.Random random = new java.util.Random(3);
    String alphabet = "0123456789v.-+aZ";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int n = random.nextInt(12); n > 0; n--) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      out.add(b.toString());
    }
    out.add("1." + "1".repeat(130));
    return out;
  }

  @Test
  void theQuickCheckGivesSemver4jsVerdictForEveryCandidate() {
    int valid = 0;
    for (String v : candidates()) {
      org.semver4j.Semver parsed = ChartVersions.parse(v);
      ChartVersions.Kind expected =
          parsed == null
              ? ChartVersions.Kind.NOT_A_VERSION
              : ChartVersions.isPrerelease(parsed)
                  ? ChartVersions.Kind.PRERELEASE
                  : ChartVersions.Kind.RELEASE;
      assertThat(ChartVersions.check(v)).as("'%s'", v).isEqualTo(expected);
      if (parsed != null) {
        valid++;
      }
    }
    assertThat(valid).isGreaterThan(1000);
    assertThat(ChartVersions.check(null)).isEqualTo(ChartVersions.Kind.NOT_A_VERSION);
  }

  @Test
  void theAppSummaryPicksWhatSemver4jsOrderPicks() {
    List<String> valid =
        candidates().stream().filter(v -> ChartVersions.parse(v) != null).distinct().toList();
    java.util.Random random = new java.util.Random(5);
    for (int round = 0; round < 2_000; round++) {
      AppSummary summary = new AppSummary();
      IndexEntry expected = null;
      for (int i = 0; i < 6; i++) {
        IndexEntry e = entry(valid.get(random.nextInt(valid.size())));
        summary.offer(e);
        if (expected == null
            || e.prerelease() != expected.prerelease() && !e.prerelease()
            || e.prerelease() == expected.prerelease()
                && ChartVersions.parse(e.version())
                        .compareTo(ChartVersions.parse(expected.version()))
                    > 0) {
          expected = e;
        }
      }
      assertThat(summary.latest()).isSameAs(expected);
    }
  }

  private static IndexEntry entry(String version) {
    return IndexEntries.from(
        "app", new java.util.LinkedHashMap<>(java.util.Map.of("name", "app", "version", version)));
  }
}
