package dev.runnel.market.chart.application;

import dev.runnel.market.chart.domain.PublishedChart;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where published chart versions and their packages are kept. */
public interface PublishedCharts {
  Mono<PublishedChart> find(String name, String version);

  /** Every published version, by name then publication time. */
  Flux<PublishedChart> all();

  Mono<byte[]> packageOf(String name, String version);

  Mono<Void> insert(PublishedChart chart, byte[] pkg);

  Mono<Void> delete(String name, String version);
}
