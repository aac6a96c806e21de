package dev.runnel.deploy.team.adapter.in.events;

import dev.runnel.deploy.team.application.ProjectTeams;
import dev.runnel.deploy.team.domain.InvalidTeamEventException;
import dev.runnel.deploy.team.domain.TeamQuota;
import dev.runnel.kit.events.EventHandler;
import dev.runnel.kit.events.IncomingEvent;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * identity-service's team and quota events, read into the fields deploy-service needs (no shared
 * classes: this is the shape it reads, the schemas in docs/events are the contract). Member events
 * need no work here: the namespace's RoleBindings name groups per team role, not people. The kit's
 * inbox skips redelivered events; a replay with a new id changes nothing in the projection either.
 * An event whose content is unusable fails, is retried and ends in the dead-letter topic.
 */
@Component
class IdentityTeamEvents implements EventHandler {
  static final String CREATED = "runnel.identity.team.created.v1";
  static final String UPDATED = "runnel.identity.team.updated.v1";
  static final String DELETED = "runnel.identity.team.deleted.v1";
  static final String QUOTA = "runnel.identity.quota.updated.v1";

  private final ProjectTeams teams;
  private final JsonMapper json;

  IdentityTeamEvents(ProjectTeams teams, JsonMapper json) {
    this.teams = teams;
    this.json = json;
  }

  @Override
  public String name() {
    return "team-namespaces";
  }

  @Override
  public Pattern topics() {
    return Pattern.compile("runnel\\.identity");
  }

  @Override
  public Mono<Void> handle(IncomingEvent event) {
    String type = event.type();
    if (!CREATED.equals(type)
        && !UPDATED.equals(type)
        && !DELETED.equals(type)
        && !QUOTA.equals(type)) {
      return Mono.empty();
    }
    return Mono.defer(
        () -> {
          JsonNode data = data(event);
          ProjectTeams.EventRef ref = new ProjectTeams.EventRef(event.id(), type, event.time());
          return switch (type) {
            case CREATED, UPDATED ->
                teams.exists(text(data, "name"), text(data, "displayName"), ref);
            case DELETED -> teams.deleted(text(data, "name"), ref);
            default ->
                teams.quota(
                    text(data, "team"),
                    new TeamQuota(
                        text(data, "cpu"),
                        text(data, "memory"),
                        text(data, "storage"),
                        integer(data, "instances")),
                    ref);
          };
        });
  }

  private JsonNode data(IncomingEvent event) {
    try {
      JsonNode data = json.readTree(event.data());
      if (data == null || !data.isObject()) {
        throw new InvalidTeamEventException(
            event.type() + " " + event.id() + ": data is no object");
      }
      return data;
    } catch (JacksonException e) {
      throw new InvalidTeamEventException(event.type() + " " + event.id() + ": data is no JSON");
    }
  }

  private static String text(JsonNode data, String field) {
    JsonNode v = data.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString() && !v.isNumber()) {
      throw new InvalidTeamEventException(field + " must be a string");
    }
    return v.asString();
  }

  private static Integer integer(JsonNode data, String field) {
    JsonNode v = data.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new InvalidTeamEventException(field + " must be an integer");
    }
    return v.intValue();
  }
}
