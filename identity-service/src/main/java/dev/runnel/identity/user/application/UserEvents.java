package dev.runnel.identity.user.application;

import dev.runnel.identity.user.domain.UserEvent;
import reactor.core.publisher.Mono;

/** Records user events for publication; called inside a transaction. */
public interface UserEvents {
  Mono<Void> record(UserEvent event, String actor);
}
