package dev.runnel.market.packages;

import reactor.core.publisher.Mono;

/**
 * Chart packages of any repository in the catalog, downloaded (and cached) by the catalog, their
 * digest verified against the repository's index.
 */
public interface ChartPackages {
  /**
   * The package of {@code repository/name} at {@code version}; empty when the catalog has no such
   * version; an error when the download fails or the digest does not match.
   */
  Mono<ChartPackage> fetch(String repository, String name, String version);

  /** A package and its sha256 digest (lower-case hex). */
  record ChartPackage(byte[] bytes, String digest) {}
}
