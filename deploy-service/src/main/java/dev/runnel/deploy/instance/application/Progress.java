package dev.runnel.deploy.instance.application;

import dev.runnel.deploy.instance.domain.Operation;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;

/**
 * The running state of one operation: steps and log lines are published to the live feed at once
 * and stored at each step, so a reader never sees less than the last step.
 */
final class Progress {
  private final AtomicReference<Operation> current;
  private final Operations operations;
  private final OperationFeed feed;
  private final Clock clock;

  Progress(Operation start, Operations operations, OperationFeed feed, Clock clock) {
    this.current = new AtomicReference<>(start);
    this.operations = operations;
    this.feed = feed;
    this.clock = clock;
  }

  private volatile java.util.Set<String> olderPods = java.util.Set.of();

  java.util.Set<String> olderPods() {
    return olderPods;
  }

  void olderPods(java.util.Set<String> names) {
    this.olderPods = java.util.Set.copyOf(names);
  }

  private volatile java.util.Map<String, Integer> stoppedReplicas;

  java.util.Map<String, Integer> stoppedReplicas() {
    return stoppedReplicas;
  }

  void stoppedReplicas(java.util.Map<String, Integer> replicas) {
    this.stoppedReplicas = java.util.Map.copyOf(replicas);
  }

  Operation current() {
    return current.get();
  }

  /** For adapters reporting from their threads. */
  Consumer<String> log() {
    return message -> feed.publish(current.updateAndGet(op -> op.logged(message, clock.instant())));
  }

  Mono<Void> step(String name) {
    return save(op -> op.step(name, clock.instant()));
  }

  Mono<Void> note(String message) {
    return save(op -> op.logged(message, clock.instant()));
  }

  Mono<Void> save(UnaryOperator<Operation> change) {
    return Mono.defer(
        () -> {
          Operation next = current.updateAndGet(change);
          feed.publish(next);
          return operations.update(next);
        });
  }

  /** Applies a final change without storing it (the caller stores it in its transaction). */
  Operation finish(UnaryOperator<Operation> change) {
    return current.updateAndGet(change);
  }
}
