package dev.runnel.audit.trail.adapter.in.events;

import dev.runnel.audit.trail.application.AppendToTrail;
import dev.runnel.kit.events.EventHandler;
import dev.runnel.kit.events.IncomingEvent;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Reads every platform topic into the trail. The pattern matches {@code runnel.<service>} and not
 * the dead-letter topics {@code runnel.<service>.dlt}, whose records are not events.
 */
@Component
class TrailEventHandler implements EventHandler {
  static final Pattern PLATFORM_TOPICS = Pattern.compile("runnel\\.[a-z]+");

  private final AppendToTrail trail;

  TrailEventHandler(AppendToTrail trail) {
    this.trail = trail;
  }

  @Override
  public String name() {
    return "trail";
  }

  @Override
  public Pattern topics() {
    return PLATFORM_TOPICS;
  }

  @Override
  public Mono<Void> handle(IncomingEvent event) {
    return trail.append(event).then();
  }
}
