package dev.runnel.market.chart.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.market.chart.Fixtures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelmIndexTest {
  @Test
  void rendersAnIndexHelmCanRead() {
    byte[] pkg = Fixtures.chart("redis-23.1.1.tgz");
    ChartArchive redis = new ChartArchiveReader(ChartLimits.DEFAULTS).read(pkg);
    Instant at = Instant.parse("2026-11-23T08:00:00Z");
    PublishedChart chart = PublishedChart.publish(redis, pkg.length, "acme", "ada", at).chart();

    String yaml = HelmIndex.render(List.of(chart), at);
    @SuppressWarnings("unchecked")
    Map<String, Object> index = (Map<String, Object>) SafeYaml.load(yaml);
    assertThat(index).containsEntry("apiVersion", "v1");
    assertThat(index.get("generated")).isNotNull();
    @SuppressWarnings("unchecked")
    Map<String, Object> entry =
        ((Map<String, List<Map<String, Object>>>) index.get("entries")).get("redis").get(0);
    assertThat(entry)
        .containsEntry("name", "redis")
        .containsEntry("version", "23.1.1")
        .containsEntry("appVersion", "8.2.1")
        .containsEntry("type", "application")
        .containsEntry("digest", ChartArchiveReader.sha256(pkg))
        .containsEntry("urls", List.of("redis-23.1.1.tgz"))
        .containsKeys("description", "keywords", "icon", "annotations", "dependencies", "created");
    assertThat(yaml).contains("created: '2026-11-23T08:00:00.000000000Z'").doesNotContain("!!");
  }
}
