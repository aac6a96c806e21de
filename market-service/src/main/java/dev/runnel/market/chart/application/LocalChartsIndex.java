package dev.runnel.market.chart.application;

import dev.runnel.market.chart.domain.HelmIndex;
import dev.runnel.market.local.LocalCharts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The built-in repository {@code local}, as the catalog syncs it: published charts. */
@Component
class LocalChartsIndex implements LocalCharts {
  private final PublishedCharts published;
  private final Clock clock;

  LocalChartsIndex(PublishedCharts published, Clock clock) {
    this.published = published;
    this.clock = clock;
  }

  @Override
  public Mono<byte[]> index() {
    return published
        .all()
        .collectList()
        .map(charts -> HelmIndex.render(charts, clock.instant()).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Mono<byte[]> packageOf(String name, String version) {
    return published.packageOf(name, version);
  }
}
