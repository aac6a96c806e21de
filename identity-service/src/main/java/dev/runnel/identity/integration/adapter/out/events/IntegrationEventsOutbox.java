package dev.runnel.identity.integration.adapter.out.events;

import dev.runnel.identity.integration.application.IntegrationEvents;
import dev.runnel.identity.integration.domain.Integration;
import dev.runnel.kit.events.Outbox;
import dev.runnel.kit.events.OutgoingEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Integration events on the wire ({@code docs/events/runnel.identity.integration.*.v1}); never the
 * secret.
 */
@Component
class IntegrationEventsOutbox implements IntegrationEvents {
  private final Outbox outbox;
  private final JsonMapper json;
  private final java.time.Clock clock;

  IntegrationEventsOutbox(Outbox outbox, JsonMapper json, java.time.Clock clock) {
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public Mono<Void> created(Integration integration, String actor) {
    return record("runnel.identity.integration.created.v1", integration, actor);
  }

  @Override
  public Mono<Void> revoked(Integration integration, String actor) {
    return record("runnel.identity.integration.revoked.v1", integration, actor);
  }

  private Mono<Void> record(String type, Integration i, String actor) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", i.id().toString());
    data.put("team", i.team());
    data.put("name", i.name());
    data.put("clientId", i.clientId());
    data.put("role", i.role());
    Instant now = clock.instant();
    return outbox.record(
        new OutgoingEvent(
            UUID.randomUUID(),
            type,
            i.team(),
            i.team(),
            actor,
            now,
            json.writeValueAsString(data)));
  }
}
