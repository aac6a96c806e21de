package dev.runnel.identity.team.adapter.out.events;

import dev.runnel.identity.team.application.TeamEvents;
import dev.runnel.identity.team.domain.Member;
import dev.runnel.identity.team.domain.TeamEvent;
import dev.runnel.kit.events.Outbox;
import dev.runnel.kit.events.OutgoingEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Team, member and quota events on the wire: the shapes in {@code
 * docs/events/runnel.identity.{team,member,quota}.*.v1.schema.json}. The subject and the {@code
 * team} extension are the team name, so one team's events stay in order. Add only optional fields
 * within v1.
 */
@Component
class TeamEventsOutbox implements TeamEvents {
  private final Outbox outbox;
  private final JsonMapper json;

  TeamEventsOutbox(Outbox outbox, JsonMapper json) {
    this.outbox = outbox;
    this.json = json;
  }

  @Override
  public Mono<Void> record(TeamEvent event, String actor) {
    Map<String, Object> data = new LinkedHashMap<>();
    if (event instanceof TeamEvent.Created e) {
      data.put("name", e.team().name());
      data.put("displayName", e.team().displayName());
    } else if (event instanceof TeamEvent.Updated e) {
      data.put("name", e.team().name());
      data.put("displayName", e.team().displayName());
      data.put("previousDisplayName", e.previousDisplayName());
    } else if (event instanceof TeamEvent.Deleted e) {
      data.put("name", e.team().name());
      data.put("displayName", e.team().displayName());
    } else if (event instanceof TeamEvent.MemberAdded e) {
      member(data, e.member());
    } else if (event instanceof TeamEvent.MemberRoleChanged e) {
      member(data, e.member());
      data.put("previousRole", e.previousRole());
    } else if (event instanceof TeamEvent.MemberRemoved e) {
      member(data, e.member());
      data.put("reason", e.reason());
    } else if (event instanceof TeamEvent.QuotaUpdated e) {
      data.put("team", e.quota().team());
      data.put("cpu", e.quota().cpu());
      data.put("memory", e.quota().memory());
      data.put("storage", e.quota().storage());
      data.put("instances", e.quota().instances());
    }
    return outbox.record(
        new OutgoingEvent(
            event.eventId(),
            event.type(),
            event.teamName(),
            event.teamName(),
            actor,
            event.occurredAt(),
            json.writeValueAsString(data)));
  }

  private static void member(Map<String, Object> data, Member m) {
    data.put("team", m.team());
    data.put("userId", m.userId());
    data.put("username", m.username());
    data.put("role", m.role());
  }
}
