package dev.runnel.deploy.team.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class QuantitiesTest {
  @Test
  void readsTheUnitsKubernetesWrites() {
    assertThat(Quantities.parse("500m")).isEqualByComparingTo("0.5");
    assertThat(Quantities.parse("2")).isEqualByComparingTo("2");
    assertThat(Quantities.parse("2.5")).isEqualByComparingTo("2.5");
    assertThat(Quantities.parse("128Mi")).isEqualByComparingTo(BigDecimal.valueOf(128L << 20));
    assertThat(Quantities.parse("8Gi")).isEqualByComparingTo(BigDecimal.valueOf(8L << 30));
    assertThat(Quantities.parse("1G")).isEqualByComparingTo("1000000000");
    assertThat(Quantities.parse("1e3")).isEqualByComparingTo("1000");
  }

  @Test
  void refusesWhatIsNoQuantity() {
    for (String bad : new String[] {"", "lots", "1 Gi", "1XB", "--1", "Gi"}) {
      assertThatThrownBy(() -> Quantities.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new TeamQuota("many", null, null, null))
        .isInstanceOf(InvalidTeamEventException.class)
        .hasMessageContaining("cpu");
  }
}
