package dev.runnel.identity.team.application;

import dev.runnel.identity.team.domain.TeamEvent;
import reactor.core.publisher.Mono;

/** Records team events for publication; called inside the change's transaction. */
public interface TeamEvents {
  Mono<Void> record(TeamEvent event, String actor);
}
