package dev.runnel.deploy.health.adapter.out.events;

import dev.runnel.deploy.health.application.HealthEvents;
import dev.runnel.deploy.health.domain.HealthChange;
import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.instance.domain.ObjectHealth;
import dev.runnel.kit.events.Outbox;
import dev.runnel.kit.events.OutgoingEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code runnel.deploy.instance.health-changed.v1}, keyed by the instance id like the instance's
 * other events so its timeline stays in order on one partition. The shape is documented in {@code
 * docs/events/runnel.deploy.instance.health-changed.v1.schema.json}.
 */
@Component
class HealthEventsOutbox implements HealthEvents {
  static final String TYPE = "runnel.deploy.instance.health-changed.v1";

  /** Enough to say what is wrong; an instance with hundreds of broken pods is not listed whole. */
  private static final int MAX_OBJECTS = 50;

  private final Outbox outbox;
  private final JsonMapper json;

  HealthEventsOutbox(Outbox outbox, JsonMapper json) {
    this.outbox = outbox;
    this.json = json;
  }

  @Override
  public Mono<Void> changed(HealthChange c, Instant observedAt) {
    Instance i = c.instance();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("instanceId", i.id().toString());
    data.put("team", i.team());
    data.put("cluster", i.cluster());
    data.put("namespace", i.namespace());
    data.put("name", i.name());
    data.put("previous", c.previous().label());
    data.put("health", c.current().label());
    data.put("reason", c.reason());
    List<Map<String, Object>> objects = new ArrayList<>();
    for (ObjectHealth o : c.unhealthy().subList(0, Math.min(MAX_OBJECTS, c.unhealthy().size()))) {
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("apiVersion", o.apiVersion());
      object.put("kind", o.kind());
      object.put("name", o.name());
      object.put("health", o.status().label());
      object.put("message", o.message() == null ? "" : o.message());
      objects.add(object);
    }
    data.put("unhealthyObjects", objects);
    data.put("observedAt", observedAt.toString());
    return outbox.record(
        new OutgoingEvent(
            UUID.randomUUID(),
            TYPE,
            i.id().toString(),
            i.team(),
            "system",
            observedAt,
            json.writeValueAsString(data)));
  }
}
