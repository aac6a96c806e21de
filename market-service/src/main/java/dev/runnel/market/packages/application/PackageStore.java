package dev.runnel.market.packages.application;

import java.util.List;
import reactor.core.publisher.Mono;

/** Where package sources are looked up and downloaded packages are cached. */
public interface PackageStore {
  /** The index's URLs and digest of a version; empty when the catalog has no such version. */
  Mono<Source> source(String repository, String name, String version);

  Mono<byte[]> cached(String repository, String name, String version, String digest);

  /** Caches the package, then evicts the least recently used beyond {@code maxBytes} in all. */
  Mono<Void> cache(
      String repository, String name, String version, String digest, byte[] bytes, long maxBytes);

  /** Where the index says a version's package is, and its digest (null when it gives none). */
  record Source(List<String> urls, String digest) {}
}
