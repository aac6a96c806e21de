package dev.runnel.kit.problem;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An error a service answers with on purpose: an RFC 9457 problem with a message a person can act
 * on. Services throw these from use cases; the kit renders them.
 */
public final class Problem extends ErrorResponseException {
  private static final String TYPE_BASE = "https://runnel.dev/problems/";

  private Problem(HttpStatusCode status, String type, String title, String detail) {
    super(status, body(status, type, title, detail), null);
  }

  private static ProblemDetail body(
      HttpStatusCode status, String type, String title, String detail) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
    body.setType(URI.create(TYPE_BASE + type));
    body.setTitle(title);
    return body;
  }

  /** The thing asked for does not exist, or the caller may not know that it does. */
  public static Problem notFound(String what, Object id) {
    return new Problem(
        HttpStatus.NOT_FOUND, "not-found", "Not found", what + " '" + id + "' does not exist");
  }

  /** The request is well formed but contradicts the current state. */
  public static Problem conflict(String detail) {
    return new Problem(HttpStatus.CONFLICT, "conflict", "Conflict", detail);
  }

  /**
   * The caller did not prove who they are, or the proof was refused; the detail says what to send.
   * Whoever raises it sets the {@code WWW-Authenticate} challenge that fits the path.
   */
  public static Problem unauthenticated(String detail) {
    return new Problem(HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated", detail);
  }

  /** The caller is known but lacks the role for this action. */
  public static Problem forbidden(String detail) {
    return new Problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
  }

  /** A value the request carried is not acceptable; {@code field} names where it is. */
  public static Problem invalid(String field, String message) {
    Problem p =
        new Problem(
            HttpStatus.BAD_REQUEST,
            "validation",
            "Invalid request",
            "The request has 1 invalid field: " + field + " " + message);
    p.getBody().setProperty("errors", List.of(Map.of("field", field, "message", message)));
    return p;
  }

  /** Something this service depends on does not answer; the caller may try again later. */
  public static Problem unavailable(String detail) {
    return new Problem(
        HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable", detail);
  }
}
