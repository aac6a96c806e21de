package dev.runnel.kit.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.listener.BatchListenerFailedException;

class TransienceTest {
  @Test
  void anUnreachableDatabaseIsTransientEvenWhenWrapped() {
    Throwable wrapped =
        new BatchListenerFailedException(
            "handler failed",
            new IllegalStateException(new R2dbcNonTransientResourceException("Connection refused")),
            0);
    assertThat(Transience.isTransient(wrapped)).isTrue();
  }

  @Test
  void aBrokenEventIsNot() {
    assertThat(Transience.isTransient(new DataIntegrityViolationException("duplicate key")))
        .isFalse();
    assertThat(Transience.isTransient(new IllegalArgumentException("no name"))).isFalse();
    assertThat(Transience.isTransient(new InvalidEventException("not a CloudEvent", null)))
        .isFalse();
  }
}
