package dev.runnel.kit.events;

import dev.runnel.kit.config.RunnelProperties;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Tells failures that will pass (the database or the network is away) from failures of the event
 * itself. The first kind is retried until it passes; the second goes to the dead-letter topic after
 * the configured attempts.
 */
final class Transience {
  private Transience() {}

  static boolean isTransient(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof TransientDataAccessException
          || e instanceof DataAccessResourceFailureException
          || e instanceof R2dbcTransientException
          || e instanceof R2dbcNonTransientResourceException
          || e instanceof TimeoutException
          || e instanceof IOException) {
        return true;
      }
      if (e instanceof IllegalStateException
          && String.valueOf(e.getMessage()).startsWith("Timeout on blocking read")) {
        return true;
      }
    }
    return false;
  }

  /** Exponential pauses up to the relay's longest backoff, without an end. */
  static BackOff untilRecovered(RunnelProperties.Events settings) {
    ExponentialBackOff backOff =
        new ExponentialBackOff(settings.consumerRetryDelay().toMillis(), 2.0);
    backOff.setMaxInterval(
        Math.max(settings.consumerRetryDelay().toMillis(), settings.relayMaxBackoff().toMillis()));
    backOff.setMaxElapsedTime(Long.MAX_VALUE);
    return backOff;
  }
}
