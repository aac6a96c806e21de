package dev.runnel.market.chart.domain;

/**
 * How much of a chart package Runnel reads before refusing it. Everything is read in memory, so
 * these bound the memory one package can take.
 *
 * @param maxEntries files and folders in the archive
 * @param maxTotalBytes decompressed size of all files together
 * @param maxFileBytes decompressed size of any one file
 */
public record ChartLimits(int maxEntries, long maxTotalBytes, long maxFileBytes) {
  public static final ChartLimits DEFAULTS = new ChartLimits(5_000, 32L << 20, 5L << 20);

  public ChartLimits {
    if (maxEntries < 1 || maxTotalBytes < 1 || maxFileBytes < 1) {
      throw new IllegalArgumentException("chart limits must be positive");
    }
  }
}
