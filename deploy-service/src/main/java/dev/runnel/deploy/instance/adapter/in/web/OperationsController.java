package dev.runnel.deploy.instance.adapter.in.web;

import dev.runnel.deploy.instance.application.InstanceOperations;
import dev.runnel.deploy.instance.application.InstanceQueries;
import dev.runnel.deploy.instance.application.OperationFeed;
import dev.runnel.deploy.instance.application.OperationQueue;
import dev.runnel.kit.security.Callers;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code /api/deploy/v1/operations}: read, follow (SSE) and cancel operations. */
@RestController
@RequestMapping("/api/deploy/v1/operations")
class OperationsController {
  private final InstanceQueries queries;
  private final InstanceOperations operations;
  private final OperationFeed feed;
  private final OperationQueue queue;

  OperationsController(
      InstanceQueries queries,
      InstanceOperations operations,
      OperationFeed feed,
      OperationQueue queue) {
    this.queries = queries;
    this.operations = operations;
    this.feed = feed;
    this.queue = queue;
  }

  @GetMapping("/{id}")
  Mono<OperationResponse> get(@PathVariable UUID id) {
    return Callers.current()
        .flatMap(c -> queries.operation(c, id))
        .map(op -> OperationResponse.of(op, queue));
  }

  /**
   * The operation now, then every change until it finishes. Each SSE event is named {@code
   * operation} and carries the whole operation; the stream ends with the final state.
   */
  @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  Flux<ServerSentEvent<OperationResponse>> events(@PathVariable UUID id) {
    return Callers.current()
        .flatMapMany(
            c ->
                queries
                    .operation(c, id)
                    .flatMapMany(
                        now ->
                            now.status().finished()
                                ? Flux.just(now)
                                : Flux.concat(
                                        Flux.just(now),
                                        feed.updates(id),
                                        // It may finish between being read and being followed
                                        // (the feed then no longer has it): the database has the
                                        // final state.
                                        Mono.defer(() -> queries.operation(c, id)))
                                    .takeUntil(op -> op.status().finished())))
        .map(
            op ->
                ServerSentEvent.builder(OperationResponse.of(op, queue))
                    .event("operation")
                    .id(op.id() + ":" + op.log().size())
                    .build());
  }

  @PostMapping("/{id}/cancel")
  Mono<OperationResponse> cancel(@PathVariable UUID id) {
    return Callers.current()
        .flatMap(c -> operations.cancel(id, c))
        .map(op -> OperationResponse.of(op, queue));
  }
}
