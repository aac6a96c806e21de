package dev.runnel.market.chart.adapter.out.events;

import dev.runnel.kit.events.Outbox;
import dev.runnel.kit.events.OutgoingEvent;
import dev.runnel.market.chart.application.ChartEvents;
import dev.runnel.market.chart.domain.ChartEvent;
import dev.runnel.market.chart.domain.PublishedChart;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chart events on the wire: the shapes in {@code docs/events/runnel.market.chart.*.v1.schema.json}.
 * The catalog re-syncs the repository {@code local} on them. Add only optional fields within v1.
 */
@Component
class ChartEventsOutbox implements ChartEvents {
  private final Outbox outbox;
  private final JsonMapper json;

  ChartEventsOutbox(Outbox outbox, JsonMapper json) {
    this.outbox = outbox;
    this.json = json;
  }

  @Override
  public Mono<Void> record(ChartEvent event, String actor) {
    PublishedChart c = event.chart();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("repository", "local");
    data.put("name", c.name());
    data.put("version", c.version());
    data.put("digest", c.digest());
    if (c.team() != null) {
      data.put("team", c.team());
    }
    if (event instanceof ChartEvent.Published) {
      if (c.metadata().appVersion() != null) {
        data.put("appVersion", c.metadata().appVersion());
      }
      if (c.metadata().description() != null) {
        data.put("description", c.metadata().description());
      }
      data.put("type", c.metadata().type());
      data.put("size", c.size());
      data.put("publishedBy", c.publishedBy());
    }
    return outbox.record(
        new OutgoingEvent(
            event.eventId(),
            event.type(),
            c.key(),
            c.team(),
            actor,
            event.occurredAt(),
            json.writeValueAsString(data)));
  }
}
