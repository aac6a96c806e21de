package dev.runnel.market.category.adapter.out.events;

import dev.runnel.kit.events.Outbox;
import dev.runnel.kit.events.OutgoingEvent;
import dev.runnel.market.category.application.CategoryEvents;
import dev.runnel.market.category.domain.Category;
import dev.runnel.market.category.domain.CategoryEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Category events on the wire: the shapes documented in {@code
 * docs/events/runnel.market.category.*.v1.schema.json}. Add only optional fields within v1.
 */
@Component
class CategoryEventsOutbox implements CategoryEvents {
  private final Outbox outbox;
  private final JsonMapper json;

  CategoryEventsOutbox(Outbox outbox, JsonMapper json) {
    this.outbox = outbox;
    this.json = json;
  }

  @Override
  public Mono<Void> record(CategoryEvent event, String actor) {
    Category c = event.category();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", c.id().toString());
    data.put("name", c.name());
    if (!(event instanceof CategoryEvent.Deleted)) {
      data.put("description", c.description());
      data.put("sortOrder", c.sortOrder());
    }
    if (event instanceof CategoryEvent.Updated updated
        && !updated.previousName().equals(c.name())) {
      data.put("previousName", updated.previousName());
    }
    return outbox.record(
        new OutgoingEvent(
            event.eventId(),
            event.type(),
            c.id().toString(),
            null,
            actor,
            event.occurredAt(),
            json.writeValueAsString(data)));
  }
}
