package dev.runnel.deploy.instance.adapter.out.events;

import dev.runnel.deploy.instance.application.InstanceEvents;
import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.instance.domain.InstanceEventType;
import dev.runnel.deploy.instance.domain.Operation;
import dev.runnel.kit.events.Outbox;
import dev.runnel.kit.events.OutgoingEvent;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Instance and operation events on the wire: the shapes documented in {@code
 * docs/events/runnel.deploy.*.v1.schema.json}. Instance events are keyed by the instance id;
 * operation events too, so an instance's timeline stays in order on one partition.
 */
@Component
class InstanceEventsOutbox implements InstanceEvents {
  private final Outbox outbox;
  private final JsonMapper json;
  private final Clock clock;

  InstanceEventsOutbox(Outbox outbox, JsonMapper json, Clock clock) {
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public Mono<Void> instance(
      InstanceEventType type, Instance i, Operation op, Map<String, Object> extra) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("instanceId", i.id().toString());
    data.put("team", i.team());
    data.put("cluster", i.cluster());
    data.put("namespace", i.namespace());
    data.put("name", i.name());
    data.put("repository", i.repository());
    data.put("chart", i.chart());
    data.put("version", i.version());
    data.put("revision", i.revision());
    data.put("state", i.state().label());
    data.put("health", i.health().label());
    if (op != null) {
      data.put("operationId", op.id().toString());
    }
    extra.forEach(data::putIfAbsent);
    return outbox.record(
        new OutgoingEvent(
            UUID.randomUUID(),
            type.type(),
            i.id().toString(),
            i.team(),
            op == null ? "system" : op.actor(),
            clock.instant(),
            json.writeValueAsString(data)));
  }

  @Override
  public Mono<Void> operation(String event, Operation op, Instance i) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("operationId", op.id().toString());
    data.put("instanceId", i.id().toString());
    data.put("team", i.team());
    data.put("name", i.name());
    data.put("kind", op.kind().label());
    data.put("status", op.status().label());
    data.put("actor", op.actor());
    data.put("createdAt", op.createdAt().toString());
    if (op.finishedAt() != null) {
      data.put("finishedAt", op.finishedAt().toString());
    }
    if (op.error() != null) {
      data.put("error", op.error());
    }
    return outbox.record(
        new OutgoingEvent(
            UUID.randomUUID(),
            "runnel.deploy.operation." + event + ".v1",
            i.id().toString(),
            i.team(),
            op.actor(),
            clock.instant(),
            json.writeValueAsString(data)));
  }
}
