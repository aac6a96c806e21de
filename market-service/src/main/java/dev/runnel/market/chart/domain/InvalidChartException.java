package dev.runnel.market.chart.domain;

/**
 * A chart package or {@code Chart.yaml} that Runnel refuses; {@link #reason()} says which rule it
 * breaks and the message says it in words a publisher can act on.
 */
public final class InvalidChartException extends RuntimeException {
  /** The rule broken; {@link #tooLarge()} ones are answered with 413, the others 400 or 422. */
  public enum Reason {
    EMPTY,
    NOT_GZIP,
    NOT_TAR,
    ABSOLUTE_PATH,
    PATH_TRAVERSAL,
    LINK,
    SPECIAL_FILE,
    BAD_ENTRY_NAME,
    DUPLICATE_ENTRY,
    NOT_IN_ONE_FOLDER,
    TOO_MANY_ENTRIES,
    FILE_TOO_LARGE,
    TOO_LARGE,
    MISSING_CHART_YAML,
    INVALID_CHART_YAML;

    public boolean tooLarge() {
      return this == TOO_MANY_ENTRIES || this == FILE_TOO_LARGE || this == TOO_LARGE;
    }

    /** The package is a sound archive but the chart in it is not acceptable. */
    public boolean aboutTheChart() {
      return this == MISSING_CHART_YAML || this == INVALID_CHART_YAML;
    }

    /** A stable, URL-friendly name for problem types and logs. */
    public String slug() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private final Reason reason;

  public InvalidChartException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
