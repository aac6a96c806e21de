package dev.runnel.market.chart.application;

import dev.runnel.market.chart.domain.ChartDetails;
import reactor.core.publisher.Mono;

/** Parsed details of repository chart versions, kept per package digest. */
public interface ChartDetailsCache {
  Mono<ChartDetails> find(String repository, String name, String version, String digest);

  /** Stores the details; a concurrent store of the same package is not an error. */
  Mono<Void> save(String repository, ChartDetails details);
}
