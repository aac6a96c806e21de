package dev.runnel.market.chart.application;

import dev.runnel.market.chart.domain.ChartEvent;
import reactor.core.publisher.Mono;

/** Records chart events for publication; called inside the change's transaction. */
public interface ChartEvents {
  Mono<Void> record(ChartEvent event, String actor);
}
