package dev.runnel.deploy.instance.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class FifoSlotsTest {
  private final FifoSlots slots = new FifoSlots(2);
  private final List<String> started = new CopyOnWriteArrayList<>();

  /** Work that records its start and ends when the returned sink is told to. */
  private Mono<Void> work(String name, Sinks.Empty<Void> end) {
    return Mono.defer(
        () -> {
          started.add(name);
          return end.asMono();
        });
  }

  private Disposable run(String name, Sinks.Empty<Void> end, FifoSlots.Listener listener) {
    return slots.run(name, work(name, end), listener).subscribe(v -> {}, e -> {});
  }

  private static FifoSlots.Listener quiet() {
    return ahead -> Mono.empty();
  }

  @Test
  void noMoreThanTheLimitRunAndTheOthersStartInArrivalOrder() {
    Sinks.Empty<Void> a = Sinks.empty();
    Sinks.Empty<Void> b = Sinks.empty();
    Sinks.Empty<Void> c = Sinks.empty();
    Sinks.Empty<Void> d = Sinks.empty();
    List<Integer> placesOfC = new CopyOnWriteArrayList<>();
    run("a", a, quiet());
    run("b", b, quiet());
    run(
        "c",
        c,
        new FifoSlots.Listener() {
          @Override
          public Mono<Void> queued(int ahead) {
            placesOfC.add(ahead);
            return Mono.empty();
          }
        });
    run("d", d, quiet());
    assertThat(started).containsExactly("a", "b");
    assertThat(placesOfC).containsExactly(0);
    assertThat(slots.ahead("d")).isEqualTo(1);

    b.tryEmitEmpty();
    assertThat(started).containsExactly("a", "b", "c");
    assertThat(slots.holders()).isEqualTo(2);
    assertThat(slots.ahead("d")).isZero();

    a.tryEmitError(new IllegalStateException("failed work gives its slot back too"));
    assertThat(started).containsExactly("a", "b", "c", "d");
    c.tryEmitEmpty();
    d.tryEmitEmpty();
    assertThat(slots.holders()).isZero();
  }

  @Test
  void aWithdrawnWaiterNeverRunsAndThoseBehindItMoveUp() {
    Sinks.Empty<Void> a = Sinks.empty();
    Sinks.Empty<Void> b = Sinks.empty();
    AtomicInteger placeOfD = new AtomicInteger(-1);
    run("a", a, quiet());
    run("b", b, quiet());
    run("c", Sinks.empty(), quiet());
    run(
        "d",
        Sinks.empty(),
        new FifoSlots.Listener() {
          @Override
          public Mono<Void> queued(int ahead) {
            placeOfD.set(ahead);
            return Mono.empty();
          }

          @Override
          public void moved(int ahead) {
            placeOfD.set(ahead);
          }
        });
    assertThat(placeOfD).hasValue(1);

    assertThat(slots.withdraw("c")).isTrue();
    assertThat(placeOfD).hasValue(0);
    assertThat(slots.withdraw("c")).as("only once").isFalse();
    assertThat(slots.withdraw("a")).as("a holder is not waiting").isFalse();

    a.tryEmitEmpty();
    assertThat(started).containsExactly("a", "b", "d");
  }

  @Test
  void cancellingTheHolderOrAWaiterFreesWhatItHad() {
    Disposable a = run("a", Sinks.empty(), quiet());
    run("b", Sinks.empty(), quiet());
    Disposable c = run("c", Sinks.empty(), quiet());
    run("d", Sinks.empty(), quiet());

    c.dispose();
    assertThat(slots.waiting()).isEqualTo(1);
    a.dispose();
    assertThat(started).containsExactly("a", "b", "d");
    assertThat(slots.holders()).isEqualTo(2);
  }

  @Test
  void aWaiterRunsWhenTheWorkAheadOfItEnds() {
    Sinks.Empty<Void> a = Sinks.empty();
    Sinks.Empty<Void> b = Sinks.empty();
    run("a", a, quiet());
    run("b", b, quiet());
    StepVerifier.create(slots.run("c", Mono.just("ran"), quiet()))
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(50))
        .then(a::tryEmitEmpty)
        .expectNext("ran")
        .verifyComplete();
    assertThat(slots.holders()).isEqualTo(1);
  }
}
