package dev.runnel.identity.team.application;

import dev.runnel.identity.team.domain.InvalidTeamException;
import dev.runnel.kit.problem.Problem;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/** Turns a domain rule violation into the 400 problem that names the field. */
final class Validation {
  private Validation() {}

  static <T> Mono<T> validated(Supplier<T> value) {
    try {
      return Mono.just(value.get());
    } catch (InvalidTeamException e) {
      return Mono.error(Problem.invalid(e.field(), e.getMessage()));
    }
  }
}
