package dev.runnel.deploy.instance.application;

import dev.runnel.deploy.instance.domain.Revision;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where revisions are kept (with their rendered manifests). */
public interface Revisions {
  Mono<Void> insert(Revision revision);

  Mono<Void> setStatus(UUID instanceId, int number, String status);

  Mono<Revision> find(UUID instanceId, int number);

  /** Newest first. */
  Flux<Revision> forInstance(UUID instanceId);

  /** The highest revision number so far; 0 when none. */
  Mono<Integer> last(UUID instanceId);

  /** Keeps the newest {@code keep} revisions and the deployed one. */
  Mono<Void> trim(UUID instanceId, int keep);
}
