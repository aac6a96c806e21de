package dev.runnel.deploy.route.adapter.out.events;

import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.route.application.DomainEvents;
import dev.runnel.deploy.route.domain.BasicAuthUser;
import dev.runnel.deploy.route.domain.Domain;
import dev.runnel.deploy.route.domain.DomainEventType;
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
 * Domain events on the wire ({@code docs/events/runnel.deploy.instance.domain-*.v1.schema.json}),
 * keyed by the instance id like the instance's other events. User names are in them; password
 * hashes never are.
 */
@Component
class DomainEventsOutbox implements DomainEvents {
  private final Outbox outbox;
  private final JsonMapper json;
  private final Clock clock;

  DomainEventsOutbox(Outbox outbox, JsonMapper json, Clock clock) {
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public Mono<Void> record(
      DomainEventType type, Instance i, Domain d, String actor, String reason) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("instanceId", i.id().toString());
    data.put("team", i.team());
    data.put("cluster", i.cluster());
    data.put("namespace", i.namespace());
    data.put("name", i.name());
    data.put("host", d.host());
    data.put("service", d.service());
    data.put("port", d.port());
    data.put("tls", d.tls().mode().label());
    data.put("ingressClass", d.ingressClass());
    data.put("ipAllowList", d.access().ipAllowList());
    data.put(
        "basicAuthUsers", d.access().basicAuth().stream().map(BasicAuthUser::username).toList());
    data.put("wafProtected", d.access().wafProtected());
    data.put("rendering", d.rendering().label());
    if (reason != null) {
      data.put("reason", reason);
    }
    return outbox.record(
        new OutgoingEvent(
            UUID.randomUUID(),
            type.type(),
            i.id().toString(),
            i.team(),
            actor,
            clock.instant(),
            json.writeValueAsString(data)));
  }
}
