package dev.runnel.market.catalog.adapter.in.events;

import dev.runnel.kit.events.EventHandler;
import dev.runnel.kit.events.IncomingEvent;
import dev.runnel.kit.events.InvalidEventException;
import dev.runnel.market.catalog.application.AppInstalls;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Counts installs per app from deploy-service's events, so search can rank popular apps first. The
 * kit's inbox makes a redelivered event count once.
 */
@Component
class DeployedInstances implements EventHandler {
  static final String INSTALLED = "runnel.deploy.instance.installed.v1";
  static final String DELETED = "runnel.deploy.instance.deleted.v1";
  private static final Pattern TOPIC = Pattern.compile("runnel\\.deploy");
  private final AppInstalls installs;
  private final JsonMapper json;

  DeployedInstances(AppInstalls installs, JsonMapper json) {
    this.installs = installs;
    this.json = json;
  }

  @Override
  public String name() {
    return "app-installs";
  }

  @Override
  public Pattern topics() {
    return TOPIC;
  }

  @Override
  public Mono<Void> handle(IncomingEvent event) {
    int delta =
        switch (event.type()) {
          case INSTALLED -> 1;
          case DELETED -> -1;
          default -> 0;
        };
    if (delta == 0) {
      return Mono.empty();
    }
    JsonNode data = json.readTree(event.data());
    String repository = data.path("repository").asString("");
    String chart = data.path("chart").asString("");
    if (repository.isBlank() || chart.isBlank()) {
      return Mono.error(
          new InvalidEventException(
              event.type() + " " + event.id() + " names no repository and chart", null));
    }
    return installs.add(repository, chart, delta);
  }
}
