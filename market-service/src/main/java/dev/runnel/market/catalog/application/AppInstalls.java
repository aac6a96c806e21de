package dev.runnel.market.catalog.application;

import reactor.core.publisher.Mono;

/** How many instances of each app exist, as deploy-service reports installs and deletions. */
public interface AppInstalls {
  /** Adds {@code delta} to the app's count, never below zero. */
  Mono<Void> add(String repository, String app, int delta);
}
