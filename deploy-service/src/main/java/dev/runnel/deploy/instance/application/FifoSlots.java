package dev.runnel.deploy.instance.application;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * At most {@code limit} holders at a time, the others waiting in arrival order. Non-blocking: a
 * waiter is a {@link Mono} that completes when its turn comes. A slot is released exactly once,
 * whether the work ends, fails or is cancelled, even when cancellation races with the grant.
 */
final class FifoSlots {
  private final int limit;
  private final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
  private int holders;

  FifoSlots(int limit) {
    this.limit = limit;
  }

  /**
   * Runs {@code work} once a slot is free; {@code key} finds the waiter ({@link #ahead}, {@link
   * #withdraw}), {@code listener} hears its place in the line.
   */
  <T> Mono<T> run(Object key, Mono<T> work, Listener listener) {
    return Mono.usingWhen(
        acquire(key, listener),
        ticket -> work,
        Ticket::release,
        (ticket, error) -> ticket.release(),
        Ticket::release);
  }

  /** Hears about one waiter's place in the line. */
  interface Listener {
    /** It must wait, behind {@code ahead} others; what it returns runs before it waits. */
    Mono<Void> queued(int ahead);

    /** Others left the line: now {@code ahead} wait before it. */
    default void moved(int ahead) {}

    /** Its turn came. */
    default void granted() {}
  }

  synchronized int holders() {
    return holders;
  }

  synchronized int waiting() {
    return waiting.size();
  }

  /** How many wait ahead of the waiter {@code key} identifies; -1 when it is not waiting. */
  synchronized int ahead(Object key) {
    int i = 0;
    for (Ticket t : waiting) {
      if (t.key.equals(key)) {
        return i;
      }
      i++;
    }
    return -1;
  }

  private Mono<Ticket> acquire(Object key, Listener listener) {
    return Mono.defer(
        () -> {
          Ticket t = new Ticket(key, listener);
          int ahead = enter(t);
          if (ahead < 0) {
            return Mono.just(t);
          }
          return listener.queued(ahead).then(t.turn.asMono()).thenReturn(t).doOnCancel(t::withdraw);
        });
  }

  /** -1: holds a slot now; else how many wait ahead. */
  private synchronized int enter(Ticket t) {
    if (holders < limit && waiting.isEmpty()) {
      holders++;
      t.state = State.HOLDING;
      return -1;
    }
    waiting.addLast(t);
    return waiting.size() - 1;
  }

  /** Takes a waiter out of the line; true when it was still waiting (it never ran). */
  boolean withdraw(Object key) {
    Ticket found;
    synchronized (this) {
      found = null;
      for (Ticket t : waiting) {
        if (t.key.equals(key)) {
          found = t;
          break;
        }
      }
    }
    return found != null && found.withdraw();
  }

  private enum State {
    WAITING,
    HOLDING,
    DONE
  }

  /** One waiter or holder; {@code key} is what callers find it by. */
  final class Ticket {
    private final Listener listener;
    private final Sinks.Empty<Void> turn = Sinks.empty();
    private final Object key;
    private State state = State.WAITING;

    private Ticket(Object key, Listener listener) {
      this.key = key;
      this.listener = listener;
    }

    /** Leaves the line if waiting (true), or gives back the slot if holding (false). */
    private boolean withdraw() {
      List<Ticket> moved;
      synchronized (FifoSlots.this) {
        if (state == State.WAITING) {
          state = State.DONE;
          waiting.remove(this);
          moved = new ArrayList<>(waiting);
        } else {
          moved = null;
        }
      }
      if (moved == null) {
        release().subscribe();
        return false;
      }
      tellPlaces(moved);
      return true;
    }

    private Mono<Void> release() {
      return Mono.fromRunnable(
          () -> {
            Ticket next;
            List<Ticket> moved;
            synchronized (FifoSlots.this) {
              if (state != State.HOLDING) {
                return;
              }
              state = State.DONE;
              holders--;
              next = null;
              if (holders < limit && !waiting.isEmpty()) {
                next = waiting.pollFirst();
                next.state = State.HOLDING;
                holders++;
              }
              moved = new ArrayList<>(waiting);
            }
            if (next != null) {
              next.listener.granted();
              next.turn.tryEmitEmpty();
              tellPlaces(moved);
            }
          });
    }
  }

  private static void tellPlaces(List<Ticket> line) {
    for (int i = 0; i < line.size(); i++) {
      line.get(i).listener.moved(i);
    }
  }
}
