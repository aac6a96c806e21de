package dev.runnel.market.catalog.application;

import reactor.core.publisher.Mono;

/** Icons fetched before, by URL. */
public interface IconCache {
  Mono<Icon> find(String url);

  Mono<Void> store(String url, Icon icon);

  /** An image and its checked content type. */
  record Icon(String contentType, byte[] bytes) {}
}
