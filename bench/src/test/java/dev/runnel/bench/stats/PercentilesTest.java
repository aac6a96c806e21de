package dev.runnel.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void nearestRankReportsAnObservedValue() {
    double[] oneToHundred = new double[100];
    for (int i = 0; i < 100; i++) {
      oneToHundred[99 - i] = i + 1;
    }
    Percentiles p = Percentiles.of(oneToHundred);

    assertThat(p.at(50)).isEqualTo(50);
    assertThat(p.at(99)).isEqualTo(99);
    assertThat(p.at(99.9)).isEqualTo(100);
    assertThat(p.at(100)).isEqualTo(100);
    assertThat(p.min()).isEqualTo(1);
  }

  @Test
  void aSmallSampleRoundsTheRankUp() {
    Percentiles p = Percentiles.of(new double[] {30, 10, 20});

    assertThat(p.at(1)).isEqualTo(10);
    assertThat(p.at(50)).isEqualTo(20);
    assertThat(p.at(67)).isEqualTo(30);
  }

  @Test
  void theCallersArrayIsNotReordered() {
    double[] values = {3, 1, 2};
    Percentiles.of(values);

    assertThat(values).containsExactly(3, 1, 2);
  }

  @Test
  void emptySamplesAndOutOfRangePercentilesAreRejected() {
    assertThatThrownBy(() -> Percentiles.of(new double[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Percentiles.of(new double[] {1}).at(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Percentiles.of(new double[] {1}).at(101))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSummaryCarriesTheTailFigures() {
    double[] values = new double[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i + 1;
    }

    LatencySummary s = LatencySummary.of(values);

    assertThat(s.count()).isEqualTo(1000);
    assertThat(s.p50()).isEqualTo(500);
    assertThat(s.p95()).isEqualTo(950);
    assertThat(s.p99()).isEqualTo(990);
    assertThat(s.max()).isEqualTo(1000);
  }
}
