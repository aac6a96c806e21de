package dev.runnel.deploy.instance.application;

import dev.runnel.deploy.instance.domain.Instance;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * Things other features attach to an instance outside its chart's manifest (custom domains, for
 * one). Deleting the instance removes them too, after its own objects and before it is marked
 * deleted; a failure fails the delete operation, so nothing is left behind silently.
 */
public interface InstanceAttachments {
  Mono<Void> removeAll(Instance instance, String actor, Consumer<String> log);
}
