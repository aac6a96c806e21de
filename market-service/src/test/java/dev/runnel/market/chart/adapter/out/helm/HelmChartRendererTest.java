package dev.runnel.market.chart.adapter.out.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HelmChartRendererTest {
  @Test
  void helmsMessageIsShownWithoutOurTemporaryPathsOnOneShortLine() {
    Path dir = Path.of("/tmp/runnel-render-123");
    String message =
        "failed to load "
            + dir.resolve("chart.tgz")
            + ":\n  template: broken/templates/x.yaml:1:3:"
            + " executing \"broken/templates/x.yaml\" at <fail \"no\">: error calling fail: no\n";
    assertThat(HelmChartRenderer.trim(message, dir))
        .isEqualTo(
            "failed to load chart: template: broken/templates/x.yaml:1:3: executing"
                + " \"broken/templates/x.yaml\" at <fail \"no\">: error calling fail: no");
    assertThat(HelmChartRenderer.trim("x".repeat(5000), dir)).hasSize(1501).endsWith("…");
    assertThat(HelmChartRenderer.trim(null, dir))
        .isEqualTo("Helm reported an error without a message");
  }
}
