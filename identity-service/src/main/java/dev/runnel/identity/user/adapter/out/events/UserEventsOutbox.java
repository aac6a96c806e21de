package dev.runnel.identity.user.adapter.out.events;

import dev.runnel.identity.user.application.UserEvents;
import dev.runnel.identity.user.domain.User;
import dev.runnel.identity.user.domain.UserEvent;
import dev.runnel.kit.events.Outbox;
import dev.runnel.kit.events.OutgoingEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * User events on the wire: the shapes in {@code docs/events/runnel.identity.user.*.v1.schema.json}.
 * Only the id and user name travel (and the email on creation): consumers need to name the user,
 * not to copy their profile.
 */
@Component
class UserEventsOutbox implements UserEvents {
  private final Outbox outbox;
  private final JsonMapper json;

  UserEventsOutbox(Outbox outbox, JsonMapper json) {
    this.outbox = outbox;
    this.json = json;
  }

  @Override
  public Mono<Void> record(UserEvent event, String actor) {
    User u = event.user();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", u.id());
    data.put("username", u.username());
    if (event instanceof UserEvent.Created) {
      data.put("email", u.email());
      data.put(
          "platformRoles", u.platformRoles() == null ? java.util.List.of() : u.platformRoles());
    }
    return outbox.record(
        new OutgoingEvent(
            event.eventId(),
            event.type(),
            u.id(),
            null,
            actor,
            event.occurredAt(),
            json.writeValueAsString(data)));
  }
}
