package dev.runnel.deploy.route.application;

import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.route.domain.Domain;
import dev.runnel.deploy.route.domain.DomainEventType;
import reactor.core.publisher.Mono;

/** Domain events, recorded in the caller's transaction (outbox). */
public interface DomainEvents {
  Mono<Void> record(
      DomainEventType type, Instance instance, Domain domain, String actor, String reason);
}
