package dev.runnel.market.repository.adapter.in.events;

import dev.runnel.kit.events.EventHandler;
import dev.runnel.kit.events.IncomingEvent;
import dev.runnel.market.repository.application.Repositories;
import dev.runnel.market.repository.domain.RepositoryRules;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A chart was published into (or deleted from) {@code local}: mark {@code local} for a sync in the
 * inbox's transaction, so the mark survives a crash; the scheduler picks it up at its next tick.
 */
@Component
class LocalChartsChanged implements EventHandler {
  private static final Set<String> TYPES =
      Set.of("runnel.market.chart.published.v1", "runnel.market.chart.deleted.v1");
  private static final Pattern TOPIC = Pattern.compile("runnel\\.market");
  private final Repositories repositories;

  LocalChartsChanged(Repositories repositories) {
    this.repositories = repositories;
  }

  @Override
  public String name() {
    return "local-charts-sync";
  }

  @Override
  public Pattern topics() {
    return TOPIC;
  }

  @Override
  public Mono<Void> handle(IncomingEvent event) {
    if (!TYPES.contains(event.type())) {
      return Mono.empty();
    }
    return repositories.requestSync(RepositoryRules.LOCAL);
  }
}
