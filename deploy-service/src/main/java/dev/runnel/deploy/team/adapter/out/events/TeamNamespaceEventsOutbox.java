package dev.runnel.deploy.team.adapter.out.events;

import dev.runnel.deploy.team.application.TeamNamespaceEvents;
import dev.runnel.deploy.team.domain.NamespaceStatus;
import dev.runnel.deploy.team.domain.Team;
import dev.runnel.kit.events.Outbox;
import dev.runnel.kit.events.OutgoingEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Team namespace events on the wire: {@code
 * docs/events/runnel.deploy.team-namespace.{reconciled,failed}.v1.schema.json}. Subject, key and
 * {@code team} extension are the team name, so one team's namespace events stay in order.
 */
@Component
class TeamNamespaceEventsOutbox implements TeamNamespaceEvents {
  static final String RECONCILED = "runnel.deploy.team-namespace.reconciled.v1";
  static final String FAILED = "runnel.deploy.team-namespace.failed.v1";
  private final Outbox outbox;
  private final JsonMapper json;

  TeamNamespaceEventsOutbox(Outbox outbox, JsonMapper json) {
    this.outbox = outbox;
    this.json = json;
  }

  @Override
  public Mono<Void> reconciled(Team team, NamespaceStatus status) {
    Map<String, Object> data = common(team, status);
    if (!team.deleted()) {
      Map<String, Object> quota = new LinkedHashMap<>();
      quota.put("cpu", team.quota().cpu());
      quota.put("memory", team.quota().memory());
      quota.put("storage", team.quota().storage());
      quota.put("instances", team.quota().instances());
      data.put("quota", quota);
    }
    data.put("reconciledAt", status.updatedAt().toString());
    return record(RECONCILED, team, status, data);
  }

  @Override
  public Mono<Void> failed(Team team, NamespaceStatus status) {
    Map<String, Object> data = common(team, status);
    data.put("error", status.error());
    data.put("attempts", status.attempts());
    data.put("nextAttemptAt", status.nextAttemptAt().toString());
    return record(FAILED, team, status, data);
  }

  private static Map<String, Object> common(Team team, NamespaceStatus status) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("team", team.name());
    data.put("cluster", status.cluster());
    data.put("namespace", team.namespace());
    data.put("action", team.deleted() ? "removed" : "applied");
    data.put("version", status.version());
    return data;
  }

  private Mono<Void> record(String type, Team team, NamespaceStatus status, Object data) {
    return outbox.record(
        new OutgoingEvent(
            UUID.randomUUID(),
            type,
            team.name(),
            team.name(),
            "system",
            status.updatedAt(),
            json.writeValueAsString(data)));
  }
}
