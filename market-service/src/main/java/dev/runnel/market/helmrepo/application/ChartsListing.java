package dev.runnel.market.helmrepo.application;

import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The catalog as the market's own Helm repository lists it. */
public interface ChartsListing {
  /** Changes whenever any repository's catalog or the set of repositories changes. */
  Mono<String> generation();

  /**
   * Every version of every repository, grouped by app name, within an app by repository precedence
   * ({@code local} first, then repositories in the order they were added).
   */
  Flux<Listed> all();

  Mono<List<String>> appNames();

  /** The repository whose app of this name is served under the plain name. */
  Mono<String> ownerOf(String app);

  Mono<Boolean> exists(String repository, String app, String version);

  Flux<String> repositoryNames();

  /** One version's stored index entry (JSON text). */
  record Listed(String repository, String app, String version, String entryJson) {}
}
