package dev.runnel.market.operation.adapter.in.web;

import dev.runnel.kit.security.Callers;
import dev.runnel.market.operation.application.TrackOperations;
import dev.runnel.market.operation.domain.Operation;
import java.time.Instant;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code /api/market/v1/operations/{id}}: the state of background work, for anyone signed in. */
@RestController
class OperationsController {
  private final TrackOperations operations;

  OperationsController(TrackOperations operations) {
    this.operations = operations;
  }

  @GetMapping("/api/market/v1/operations/{id}")
  Mono<OperationResponse> get(@PathVariable UUID id) {
    return Callers.current().then(operations.get(id)).map(OperationResponse::of);
  }

  record OperationResponse(
      UUID id,
      String kind,
      String target,
      String status,
      String actor,
      String result,
      String error,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt) {
    static OperationResponse of(Operation o) {
      return new OperationResponse(
          o.id(),
          o.kind(),
          o.target(),
          o.status(),
          o.actor(),
          o.result(),
          o.error(),
          o.createdAt(),
          o.startedAt(),
          o.finishedAt());
    }
  }
}
