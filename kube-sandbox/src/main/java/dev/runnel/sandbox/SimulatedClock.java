package dev.runnel.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sandbox's notion of now: wall time plus an offset a test can advance, so that time-driven
 * behaviour (CronJobs, back-off, the pod-ready delay) can be exercised without waiting.
 */
public final class SimulatedClock {

  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  public Instant now() {
    return Instant.now().plus(offset.get());
  }

  /** Moves the sandbox's time forward; controllers notice on their next pass. */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("time only moves forward");
    }
    offset.accumulateAndGet(by, Duration::plus);
  }

  /** RFC 3339 with second precision, as the API server writes timestamps. */
  public String timestamp() {
    return format(now());
  }

  public static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
