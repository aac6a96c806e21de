package dev.runnel.identity.team.adapter.in.events;

import dev.runnel.identity.team.application.Teams;
import dev.runnel.kit.events.EventHandler;
import dev.runnel.kit.events.IncomingEvent;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps the number of instances per team from deploy-service's events, so that a team that still
 * has instances cannot be deleted. The instance id is the event's subject and the team its {@code
 * team} extension; the kit's inbox skips redelivered events, and the count is a set of ids, so a
 * replay changes nothing either.
 */
@Component
class DeployInstanceEvents implements EventHandler {
  static final String INSTALLED = "runnel.deploy.instance.installed.v1";
  static final String DELETED = "runnel.deploy.instance.deleted.v1";
  private static final Logger log = LoggerFactory.getLogger(DeployInstanceEvents.class);

  private final Teams teams;

  DeployInstanceEvents(Teams teams) {
    this.teams = teams;
  }

  @Override
  public String name() {
    return "team-instances";
  }

  @Override
  public Pattern topics() {
    return Pattern.compile("runnel\\.deploy");
  }

  @Override
  public Mono<Void> handle(IncomingEvent event) {
    if (!INSTALLED.equals(event.type()) && !DELETED.equals(event.type())) {
      return Mono.empty();
    }
    if (event.team() == null || event.subject() == null) {
      log.warn(
          "{} event {} carries no team or subject; it cannot be counted", event.type(), event.id());
      return Mono.empty();
    }
    return INSTALLED.equals(event.type())
        ? teams.instanceInstalled(event.team(), event.subject())
        : teams.instanceDeleted(event.team(), event.subject());
  }
}
