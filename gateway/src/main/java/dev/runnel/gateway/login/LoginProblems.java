package dev.runnel.gateway.login;

import dev.runnel.kit.problem.Problem;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * The problems of the login flow, worded for the person in front of the console. They are raised as
 * errors so that the platform kit renders them like every other problem.
 */
final class LoginProblems {
  static final String CSRF_HEADER = "X-XSRF-TOKEN";
  static final String CSRF_COOKIE = "XSRF-TOKEN";

  private LoginProblems() {}

  /** Keycloak does not answer: nobody can log in right now, bearer clients are not affected. */
  static Problem signInUnavailable() {
    return Problem.unavailable(
        "The sign-in service (Keycloak) cannot be reached, so nobody can log in right now; try"
            + " again shortly");
  }

  /** The session's tokens can no longer be renewed (logged out elsewhere, expired, revoked). */
  static ErrorResponseException sessionEnded() {
    return unauthenticated("Your session has ended; log in again at /login");
  }

  /** Keycloak sent the browser back with an error, or the code could not be exchanged. */
  static ErrorResponseException loginFailed(String reason) {
    return unauthenticated("The login did not complete (" + reason + "); start again at /login");
  }

  /** A state-changing request on a cookie session without the matching CSRF token. */
  static Problem csrfMissing() {
    return Problem.forbidden(
        "This request changes something and needs the CSRF token: send the value of the "
            + CSRF_COOKIE
            + " cookie in the "
            + CSRF_HEADER
            + " header (GET /api/session sets the cookie)");
  }

  /** Whether a failure means Keycloak did not answer at all, rather than answered no. */
  static boolean isUnreachable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof TimeoutException
          || t instanceof WebClientRequestException) {
        return true;
      }
    }
    return false;
  }

  private static ErrorResponseException unauthenticated(String detail) {
    return Problem.unauthenticated(detail);
  }
}
