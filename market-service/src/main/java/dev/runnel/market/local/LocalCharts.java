package dev.runnel.market.local;

import reactor.core.publisher.Mono;

/**
 * The charts published into the built-in repository {@code local}, as the catalog reads them.
 *
 * <p>Publishing owns the packages; the catalog syncs {@code local} from {@link #index()} through
 * the same parser as any HTTP repository, and serves packages through {@link #packageOf}.
 */
public interface LocalCharts {
  /**
   * A Helm {@code index.yaml} (apiVersion v1) of every published chart version, with {@code digest}
   * (sha256 hex) and {@code urls: [<name>-<version>.tgz]} on each entry.
   */
  Mono<byte[]> index();

  /** The package of a published version; empty when it is not published. */
  Mono<byte[]> packageOf(String name, String version);
}
