package dev.runnel.identity.integration.application;

import dev.runnel.identity.integration.domain.Integration;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where integrations are kept (never their secrets). */
public interface Integrations {
  Mono<Void> insert(Integration integration);

  Flux<Integration> ofTeam(String team);

  Mono<Integration> find(String team, UUID id);

  Mono<Integration> findByName(String team, String name);

  Mono<Void> delete(UUID id);
}
