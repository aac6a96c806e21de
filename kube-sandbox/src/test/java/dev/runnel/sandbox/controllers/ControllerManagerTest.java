package dev.runnel.sandbox.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ControllerManagerTest {

  @Test
  void idlePassesComeOnceASecondWhilePassesAreCheap() {
    assertThat(ControllerManager.idlePass(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(ControllerManager.idlePass(Duration.ofMillis(120).toNanos()))
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void idlePassesThinOutWhenAPassIsExpensive() {
    assertThat(ControllerManager.idlePass(Duration.ofMillis(1_500).toNanos()))
        .isEqualTo(Duration.ofSeconds(12));
  }
}
