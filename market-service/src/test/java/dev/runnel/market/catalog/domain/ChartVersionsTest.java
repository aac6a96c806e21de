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

  private static IndexEntry entry(String version) {
    return IndexEntries.from(
        "app", new java.util.LinkedHashMap<>(java.util.Map.of("name", "app", "version", version)));
  }
}
