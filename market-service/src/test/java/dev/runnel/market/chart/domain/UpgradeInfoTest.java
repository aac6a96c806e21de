package dev.runnel.market.chart.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.market.chart.Tgz;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpgradeInfoTest {
  private final ChartArchiveReader reader = new ChartArchiveReader(ChartLimits.DEFAULTS);

  private ChartDetails details(String version, String changelog) {
    Tgz tgz = Tgz.chart("app", version);
    if (changelog != null) {
      tgz.file("app/CHANGELOG.md", changelog);
    }
    return ChartDetails.of(reader.read(tgz.bytes()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String text) {
    return (Map<String, Object>) SafeYaml.load(text);
  }

  @Test
  void changesInBetweenExcludeTheInstalledVersionAndIncludeTheTarget() {
    ChartDetails from = details("1.0.0", null);
    ChartDetails to =
        details(
            "2.0.0", "## 2.0.0\n* two\n## 2.0.0-rc.1\n* rc\n## 1.5.0\n* mid\n## 1.0.0\n* one\n");
    UpgradeInfo info =
        UpgradeInfo.between(
            from,
            yaml("a: 1\nb:\n  c: 2\n  d: 3\nweird.key: x\n"),
            to,
            yaml("a: 1\nb:\n  c: 2\n  e: 4\nlist: [1]\n"));
    assertThat(info.changelog())
        .extracting(ChangeEntry::description)
        .containsExactly("two", "rc", "mid");
    assertThat(info.valuesAdded()).containsExactly("b.e", "list");
    assertThat(info.valuesRemoved()).containsExactly("[\"weird.key\"]", "b.d");
  }

  @Test
  void aDowngradeIsNotAnUpgrade() {
    assertThatThrownBy(
            () ->
                UpgradeInfo.between(
                    details("2.0.0", null), Map.of(), details("1.0.0", null), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
