package dev.runnel.deploy.instance.application;

import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.instance.domain.InstanceEventType;
import dev.runnel.deploy.instance.domain.Operation;
import java.util.Map;
import reactor.core.publisher.Mono;

/** Records instance and operation events; called inside the change's transaction. */
public interface InstanceEvents {
  Mono<Void> instance(
      InstanceEventType type, Instance instance, Operation operation, Map<String, Object> extra);

  /** {@code started} or {@code finished}. */
  Mono<Void> operation(String event, Operation operation, Instance instance);
}
