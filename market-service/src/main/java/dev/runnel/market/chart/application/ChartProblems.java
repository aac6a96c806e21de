package dev.runnel.market.chart.application;

import dev.runnel.market.chart.domain.InvalidChartException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Problems about chart packages. The kit renders any {@link ErrorResponseException}; these carry
 * the statuses the kit's {@code Problem} has no factory for (413, 422) and the rule broken.
 */
public final class ChartProblems {
  private static final String TYPE_BASE = "https://runnel.dev/problems/";

  private ChartProblems() {}

  /**
   * 413 when a size or count limit is hit, 422 when the archive is sound but the chart is not, 400
   * when it is not a safe chart archive at all.
   */
  public static ErrorResponseException of(InvalidChartException e) {
    InvalidChartException.Reason reason = e.reason();
    ErrorResponseException p;
    if (reason.tooLarge()) {
      p =
          problem(
              HttpStatus.CONTENT_TOO_LARGE, "chart-too-large", "Chart too large", e.getMessage());
    } else if (reason.aboutTheChart()) {
      p =
          problem(
              HttpStatus.UNPROCESSABLE_CONTENT, "invalid-chart", "Invalid chart", e.getMessage());
    } else {
      p =
          problem(
              HttpStatus.BAD_REQUEST,
              "invalid-chart-package",
              "Invalid chart package",
              e.getMessage());
    }
    p.getBody().setProperty("reason", reason.slug());
    return p;
  }

  public static ErrorResponseException tooLarge(long maxBytes) {
    ErrorResponseException p =
        problem(
            HttpStatus.CONTENT_TOO_LARGE,
            "chart-too-large",
            "Chart too large",
            "A chart package may be at most " + size(maxBytes) + " as uploaded");
    p.getBody().setProperty("reason", "package-too-large");
    return p;
  }

  public static ErrorResponseException doesNotRender(String helmMessage) {
    ErrorResponseException p =
        problem(
            HttpStatus.UNPROCESSABLE_CONTENT,
            "chart-does-not-render",
            "Chart does not render",
            "The chart does not render with its default values: " + helmMessage);
    p.getBody().setProperty("reason", "does-not-render");
    return p;
  }

  /** A chart from a repository whose package Runnel cannot read safely. */
  public static ErrorResponseException unreadablePackage(String what, String why) {
    ErrorResponseException p =
        problem(
            HttpStatus.UNPROCESSABLE_CONTENT,
            "unreadable-chart-package",
            "Unreadable chart package",
            "The package of " + what + " cannot be read: " + why);
    p.getBody().setProperty("reason", "unreadable-package");
    return p;
  }

  static String size(long bytes) {
    return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
  }

  private static ErrorResponseException problem(
      HttpStatus status, String type, String title, String detail) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
    body.setType(URI.create(TYPE_BASE + type));
    body.setTitle(title);
    return new ErrorResponseException(status, body, null);
  }
}
