package dev.runnel.bench.stats;

import java.util.Arrays;

/**
 * Percentiles of a sample by the nearest-rank method: the p-th percentile is the smallest value
 * with at least p % of the sample at or below it. No interpolation, so every figure reported is a
 * latency that was actually observed.
 */
public final class Percentiles {
  private final double[] sorted;

  private Percentiles(double[] sorted) {
    this.sorted = sorted;
  }

  /** Sorts a copy of the values; the caller's array is left as it was. */
  public static Percentiles of(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values to summarise");
    }
    double[] copy = values.clone();
    Arrays.sort(copy);
    return new Percentiles(copy);
  }

  /** The nearest-rank percentile, {@code 0 < p <= 100}. */
  public double at(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  public double max() {
    return sorted[sorted.length - 1];
  }

  public double min() {
    return sorted[0];
  }

  public int count() {
    return sorted.length;
  }
}
