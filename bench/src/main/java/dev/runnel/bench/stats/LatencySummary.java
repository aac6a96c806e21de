package dev.runnel.bench.stats;

import java.util.Locale;

/** The latency figures the benchmarks report, in milliseconds. */
public record LatencySummary(int count, double p50, double p95, double p99, double max) {

  public static LatencySummary of(double[] millis) {
    Percentiles p = Percentiles.of(millis);
    return new LatencySummary(p.count(), p.at(50), p.at(95), p.at(99), p.max());
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms", p50, p95, p99, max);
  }
}
