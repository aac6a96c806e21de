package dev.runnel.deploy.route.application;

import dev.runnel.deploy.route.domain.Domain;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where custom domains are kept. */
public interface Domains {
  Flux<Domain> forInstance(UUID instanceId);

  Mono<Domain> find(UUID instanceId, String host);

  /** The domain holding the host on the cluster, of any instance. */
  Mono<Domain> holding(String cluster, String host);

  /** Fails with a duplicate-key error when the host is taken on the cluster. */
  Mono<Void> insert(Domain domain);

  Mono<Void> update(Domain domain);

  Mono<Void> delete(UUID instanceId, String host);
}
