package dev.runnel.market.chart.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChartYamlTest {
  private static final String OK = "apiVersion: v2\nname: web\nversion: 1.0.0\n";

  @Test
  void readsTheFieldsHelmDefines() {
    ChartMetadata m =
        ChartYaml.parse(
            OK
                + "appVersion: 2.4\ntype: library\nkubeVersion: '>=1.25.0-0'\ndeprecated: true\n"
                + "keywords: [a, b]\nsources: [https://example.org/src]\n"
                + "maintainers:\n- name: Ada\n  email: ada@example.org\n"
                + "dependencies:\n- name: common\n  version: 2.x.x\n  repository: oci://r/c\n  tags: [x]\n"
                + "annotations:\n  category: Web\n  count: 3\n");
    assertThat(m.appVersion()).isEqualTo("2.4");
    assertThat(m.library()).isTrue();
    assertThat(m.kubeVersion()).isEqualTo(">=1.25.0-0");
    assertThat(m.deprecated()).isTrue();
    assertThat(m.keywords()).containsExactly("a", "b");
    assertThat(m.maintainers())
        .extracting(ChartMetadata.Maintainer::email)
        .containsExactly("ada@example.org");
    assertThat(m.dependencies().get(0).tags()).containsExactly("x");
    assertThat(m.annotations()).containsEntry("category", "Web").containsEntry("count", "3");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "apiVersion: v3\\nname: web\\nversion: 1.0.0|apiVersion must be v1 or v2, not 'v3'",
        "name: web\\nversion: 1.0.0|apiVersion must be v1 or v2, not missing",
        "apiVersion: v2\\nversion: 1.0.0|needs a name",
        "apiVersion: v2\\nname: Web_App\\nversion: 1.0.0|name 'Web_App' is not DNS-safe",
        "apiVersion: v2\\nname: -web\\nversion: 1.0.0|is not DNS-safe",
        "apiVersion: v2\\nname: ../../etc\\nversion: 1.0.0|is not DNS-safe",
        "apiVersion: v2\\nname: web|needs a version",
        "apiVersion: v2\\nname: web\\nversion: 1.0|version '1.0' is not a semantic version",
        "apiVersion: v2\\nname: web\\nversion: v1.0.0|is not a semantic version",
        "apiVersion: v2\\nname: web\\nversion: 1.0.0\\ntype: plugin|type must be application or library",
        "apiVersion: v1\\nname: web\\nversion: 1.0.0\\ntype: library|library charts need apiVersion v2",
        "- just\\n- a list|must be a YAML mapping",
        "apiVersion: v2\\nname: web\\nname: web2\\nversion: 1.0.0|is not valid YAML",
        "apiVersion: v2\\nname: web\\nversion: 1.0.0\\nmaintainers: ada|maintainers must be a list",
        "apiVersion: v2\\nname: [web]\\nversion: 1.0.0|name must be a single value",
        "a: &a [x,x,x,x,x,x,x,x,x]\\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]|is not valid YAML",
        "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x/\"]]]]|is not valid YAML",
      })
  void refusesWhatHelmWouldRefuseOrShouldHave(String yaml, String message) {
    assertThatThrownBy(() -> ChartYaml.parse(yaml.replace("\\n", "\n")))
        .isInstanceOf(InvalidChartException.class)
        .hasMessageStartingWith("Chart.yaml ")
        .hasMessageContaining(message)
        .satisfies(
            e ->
                assertThat(((InvalidChartException) e).reason())
                    .isEqualTo(InvalidChartException.Reason.INVALID_CHART_YAML));
  }

  @Test
  void aLongNameIsRefused() {
    assertThatThrownBy(
            () -> ChartYaml.parse("apiVersion: v2\nname: " + "a".repeat(64) + "\nversion: 1.0.0"))
        .hasMessageContaining("at most 63");
    assertThat(
            ChartYaml.parse("apiVersion: v2\nname: " + "a".repeat(63) + "\nversion: 1.0.0-rc.1+b7")
                .version())
        .isEqualTo("1.0.0-rc.1+b7");
  }
}
