package dev.runnel.market.operation.application;

import dev.runnel.kit.problem.Problem;
import dev.runnel.market.operation.domain.Operation;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Starts work in the background as an operation and records how it ends. */
@Service
public class TrackOperations {
  private static final Logger log = LoggerFactory.getLogger(TrackOperations.class);
  private final Operations operations;
  private final Clock clock;

  public TrackOperations(Operations operations, Clock clock) {
    this.operations = operations;
    this.clock = clock;
  }

  /**
   * Stores a queued operation and returns it; {@code work} runs after that, detached from the
   * request, and its value (a short summary) or error is recorded on the operation. A request
   * repeated with the same {@code idempotencyKey} (may be null) gets the first operation back and
   * starts nothing.
   */
  public Mono<Operation> start(
      String kind, String target, String actor, String idempotencyKey, Mono<String> work) {
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
      return Mono.error(Problem.invalid("Idempotency-Key", "must be 1 to 200 characters"));
    }
    Mono<Operation> existing =
        idempotencyKey == null ? Mono.empty() : operations.findByKey(kind, target, idempotencyKey);
    return existing.switchIfEmpty(
        Mono.defer(() -> startNew(kind, target, actor, idempotencyKey, work))
            .onErrorResume(
                org.springframework.dao.DuplicateKeyException.class,
                e -> operations.findByKey(kind, target, idempotencyKey)));
  }

  private Mono<Operation> startNew(
      String kind, String target, String actor, String idempotencyKey, Mono<String> work) {
    Operation queued =
        Operation.queued(UUID.randomUUID(), kind, target, actor, idempotencyKey, clock.instant());
    return operations
        .insert(queued)
        .doOnSuccess(
            done ->
                operations
                    .started(queued.id(), clock.instant())
                    .then(work)
                    .flatMap(
                        result ->
                            operations.finished(queued.id(), true, result, null, clock.instant()))
                    .onErrorResume(
                        error ->
                            operations.finished(
                                queued.id(), false, null, message(error), clock.instant()))
                    .subscribeOn(Schedulers.boundedElastic())
                    .subscribe(
                        null,
                        error ->
                            log.error("operation {} could not record its end", queued.id(), error)))
        .thenReturn(queued);
  }

  public Mono<Operation> get(UUID id) {
    return operations.find(id).switchIfEmpty(Mono.error(() -> Problem.notFound("Operation", id)));
  }

  private static String message(Throwable error) {
    if (error instanceof ErrorResponse response && response.getBody().getDetail() != null) {
      return response.getBody().getDetail();
    }
    log.error("operation failed unexpectedly", error);
    return "The operation failed on the server; see the service log";
  }
}
