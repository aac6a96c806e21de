package dev.runnel.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls until a condition holds or a deadline passes; the sandbox's controllers are async. */
public final class Await {

  public static final Duration DEFAULT = Duration.ofSeconds(20);

  private Await() {}

  public static <T> T until(Supplier<T> probe, Predicate<T> condition) {
    return until(DEFAULT, probe, condition);
  }

  public static <T> T until(Duration timeout, Supplier<T> probe, Predicate<T> condition) {
    Instant deadline = Instant.now().plus(timeout);
    T last = null;
    while (Instant.now().isBefore(deadline)) {
      last = probe.get();
      if (last != null && condition.test(last)) {
        return last;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting", e);
      }
    }
    throw new AssertionError("condition not met within " + timeout + "; last value: " + last);
  }
}
