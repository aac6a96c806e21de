package dev.runnel.sandbox.controllers;

import dev.runnel.sandbox.SimulatedClock;
import dev.runnel.sandbox.faults.Faults;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the simulated controllers on one thread. A pass runs whenever the API saw a write (the
 * dispatcher calls {@link #wake()}), when work a controller scheduled falls due, and when idle at
 * least once a second, or once every {@link #IDLE_PASS_COST_FACTOR} times the last pass's duration
 * when that is longer. Controllers only write when observed state differs from desired, so after a
 * change the passes settle instead of spinning.
 */
public final class ControllerManager implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerManager.class);
  private static final Duration IDLE_PASS = Duration.ofSeconds(1);

  /**
   * A pass reads every pod and node; at 150,000 pods that took about a second, and idle passes once
   * a second kept a core busy for nothing and made clients' lists wait behind the controllers'
   * (bench/sandbox-scale.sh). Idle passes are a safety net (every write and every due item still
   * starts a pass at once), so on a large cluster they may come less often.
   */
  private static final int IDLE_PASS_COST_FACTOR = 8;

  private static final Duration RETRY = Duration.ofMillis(100);
  private static final Duration YIELD_ABOVE = Duration.ofMillis(200);
  private static final Duration MAX_YIELD = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final StoredObjects stored;
  private final SimulatedClock clock;
  private final EventRecorder events;
  private final Faults faults;
  private final Duration podReadyDelay;
  private final List<Controller> controllers;
  private final Object lock = new Object();
  private boolean dirty = true;
  private final AtomicLong passes = new AtomicLong();
  private volatile boolean running;
  private Thread thread;

  public ControllerManager(
      KubernetesClient client,
      StoredObjects stored,
      SimulatedClock clock,
      EventRecorder events,
      Faults faults,
      Duration podReadyDelay,
      List<Controller> controllers) {
    this.client = client;
    this.stored = stored;
    this.clock = clock;
    this.events = events;
    this.faults = faults;
    this.podReadyDelay = podReadyDelay;
    this.controllers = List.copyOf(controllers);
  }

  public void start() {
    running = true;
    thread = new Thread(this::loop, "kube-sandbox-controllers");
    thread.setDaemon(true);
    thread.start();
  }

  /** Something changed: run a pass soon. Cheap and non-blocking, called on the event loop. */
  public void wake() {
    synchronized (lock) {
      dirty = true;
      lock.notifyAll();
    }
  }

  private void loop() {
    Instant nextDue = null;
    long lastPassNanos = 0;
    while (running) {
      try {
        awaitWork(nextDue, idlePass(lastPassNanos));
        yieldToClients(lastPassNanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!running) {
        return;
      }
      long started = System.nanoTime();
      nextDue = pass();
      lastPassNanos = System.nanoTime() - started;
      passes.incrementAndGet();
    }
  }

  /**
   * Under a stream of writes every write asks for a pass, and a pass reads and parses whole
   * collections: back to back, long passes would take the CPU (and, while they collect, the store's
   * read lock) from the clients that write (measured with bench/sandbox-scale.sh). After a pass
   * longer than {@link #YIELD_ABOVE}, the next one waits half as long as it took, which leaves the
   * clients at least a third of the time. Passes on a test-sized cluster take a few milliseconds
   * and never wait.
   */
  private void yieldToClients(long lastPassNanos) throws InterruptedException {
    long passMillis = TimeUnit.NANOSECONDS.toMillis(lastPassNanos);
    if (passMillis <= YIELD_ABOVE.toMillis()) {
      return;
    }
    long millis = Math.min(passMillis / 2, MAX_YIELD.toMillis());
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (lock) {
      for (long left = millis; running && left > 0; ) {
        lock.wait(left);
        left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
      }
    }
  }

  /** Passes finished since start. */
  public long passes() {
    return passes.get();
  }

  static Duration idlePass(long lastPassNanos) {
    Duration scaled = Duration.ofNanos(lastPassNanos).multipliedBy(IDLE_PASS_COST_FACTOR);
    return scaled.compareTo(IDLE_PASS) > 0 ? scaled : IDLE_PASS;
  }

  private void awaitWork(Instant nextDue, Duration idle) throws InterruptedException {
    synchronized (lock) {
      long idleUntil = System.nanoTime() + idle.toNanos();
      while (!dirty && running) {
        Instant now = clock.now();
        if (nextDue != null && !now.isBefore(nextDue)) {
          break;
        }
        long idleLeft = TimeUnit.NANOSECONDS.toMillis(idleUntil - System.nanoTime());
        if (idleLeft <= 0) {
          break;
        }
        long millis =
            nextDue == null
                ? idleLeft
                : Math.min(idleLeft, Math.max(1, Duration.between(now, nextDue).toMillis()));
        // Wake at least once a second: the simulated clock can be moved forward by a test.
        lock.wait(Math.min(millis, IDLE_PASS.toMillis()));
      }
      dirty = false;
    }
  }

  private Instant pass() {
    Reconcile pass = new Reconcile(client, stored, clock, events, faults, podReadyDelay);
    for (Controller controller : controllers) {
      if (!running) {
        break;
      }
      try {
        controller.reconcile(pass);
      } catch (RuntimeException e) {
        if (!running) {
          // close() gave the pass its time and then closed the client under it: expected, and
          // the pass's work no longer matters.
          LOG.debug("{} stopped by close: {}", controller.getClass().getSimpleName(), e.toString());
          break;
        }
        retryAfterFailure(pass, controller, e);
      }
    }
    return pass.nextDue();
  }

  private static void retryAfterFailure(
      Reconcile pass, Controller controller, RuntimeException failure) {
    if (failure instanceof KubernetesClientException) {
      // Conflicts and races with clients are normal; the next pass sees fresh state.
      LOG.debug("{} will retry: {}", controller.getClass().getSimpleName(), failure.getMessage());
    } else {
      LOG.warn("{} failed", controller.getClass().getSimpleName(), failure);
    }
    pass.requeueAfter(RETRY);
  }

  @Override
  public void close() {
    running = false;
    wake();
    if (thread != null) {
      try {
        thread.join(Duration.ofSeconds(5).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
