package dev.runnel.deploy.health.application;

import dev.runnel.deploy.health.domain.HealthChange;
import java.time.Instant;
import reactor.core.publisher.Mono;

/** Announces health changes; called inside the transaction that stores the change. */
public interface HealthEvents {
  /** Records {@code runnel.deploy.instance.health-changed.v1}. */
  Mono<Void> changed(HealthChange change, Instant observedAt);
}
