package dev.runnel.market.shared;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Market-specific RFC 9457 problems whose type names the cause (for example {@code
 * https://runnel.dev/problems/html-instead-of-index}), for the cases the kit's {@code Problem} has
 * no factory for. Rendered by the kit like any other error response.
 */
public final class MarketProblem extends ErrorResponseException {
  private MarketProblem(HttpStatus status, String type, String title, String detail) {
    super(status, body(status, type, title, detail), null);
  }

  private static ProblemDetail body(HttpStatus status, String type, String title, String detail) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
    body.setType(URI.create("https://runnel.dev/problems/" + type));
    body.setTitle(title);
    return body;
  }

  public static MarketProblem of(HttpStatus status, String type, String title, String detail) {
    return new MarketProblem(status, type, title, detail);
  }

  /** The repository (or something it points at) could not be used; {@code type} says why. */
  public static MarketProblem repository(String type, String title, String detail) {
    return new MarketProblem(HttpStatus.UNPROCESSABLE_CONTENT, type, title, detail);
  }

  /** A remote file the market fetched on the caller's behalf failed; the caller may retry. */
  public static MarketProblem badGateway(String type, String title, String detail) {
    return new MarketProblem(HttpStatus.BAD_GATEWAY, type, title, detail);
  }
}
