package dev.runnel.deploy.instance.adapter.in.web;

import dev.runnel.deploy.instance.application.InstanceOperations;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At start, operations a previous run left unfinished are failed with the reason, so no instance
 * stays "installing" forever.
 */
@Component
class RecoverInterruptedOperations {
  private static final Logger log = LoggerFactory.getLogger(RecoverInterruptedOperations.class);
  private final InstanceOperations operations;

  RecoverInterruptedOperations(InstanceOperations operations) {
    this.operations = operations;
  }

  @EventListener(ApplicationReadyEvent.class)
  void recover() {
    operations
        .failInterrupted()
        .timeout(Duration.ofMinutes(1))
        .subscribe(
            n -> {
              if (n > 0) {
                log.warn("{} operations interrupted by the last stop were marked failed", n);
              }
            },
            e -> log.error("could not mark interrupted operations failed: {}", e.getMessage()));
  }
}
