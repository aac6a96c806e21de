package dev.runnel.deploy.instance.application;

import dev.runnel.deploy.instance.domain.Instance;
import java.util.Set;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where instances are kept. */
public interface Instances {
  Mono<Instance> find(UUID id);

  /** Fails with a duplicate-key error when the name is taken in the namespace. */
  Mono<Void> insert(Instance instance);

  Mono<Void> update(Instance instance);

  /** Marks the instance deleted; its name becomes free again. */
  Mono<Void> markDeleted(Instance instance);

  Mono<Boolean> nameTaken(String cluster, String namespace, String name);

  /** One page in creation order, of the given teams (null: all teams), after the cursor. */
  Flux<Instance> page(Set<String> teams, InstanceCursor after, int limit);
}
