package dev.runnel.identity.integration.application;

import dev.runnel.identity.integration.domain.Integration;
import reactor.core.publisher.Mono;

/** Records integration events ({@code created}, {@code revoked}); called inside a transaction. */
public interface IntegrationEvents {
  Mono<Void> created(Integration integration, String actor);

  Mono<Void> revoked(Integration integration, String actor);
}
