package dev.runnel.deploy.instance.application;

import reactor.core.publisher.Mono;

/** Where chart packages come from (market-service). */
public interface ChartSource {
  /**
   * The package, its digest verified against what the market announced.
   *
   * @param bearerToken the caller's token, relayed so the market applies its own rules
   */
  Mono<ChartPackage> fetch(String repository, String chart, String version, String bearerToken);

  /**
   * @param valuesSchema values.schema.json of the version, or null when the chart has none
   */
  record ChartPackage(byte[] bytes, String digest, String valuesSchema) {}
}
