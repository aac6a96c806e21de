package dev.runnel.gateway.fallback;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR;

import dev.runnel.kit.problem.Problem;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Where a route's circuit breaker forwards when its service failed, timed out or is cut off: turns
 * the cause into a 503 {@link Problem} that names the service and says what happened.
 *
 * <p>The problem is returned as an error rather than rendered here so that the platform kit's
 * exception handler renders it like every other problem; that handler sees the caller's exchange,
 * so {@code instance} is the path the caller asked for, not this internal forward.
 */
public final class ServiceUnavailableFallback {
  private static final Logger log = LoggerFactory.getLogger(ServiceUnavailableFallback.class);

  /** The route handler: {@code /fallback/{service}}, reached only by a breaker's forward. */
  public Mono<ServerResponse> handle(ServerRequest request) {
    String service = request.pathVariable("service");
    Throwable cause =
        request.exchange().<Throwable>getAttribute(CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
    // An open circuit is logged once when it opens (RouteResilience), not on every request.
    if (Reason.of(cause) != Reason.CIRCUIT_OPEN) {
      log.warn("Call to {} failed: {}", service, describe(cause));
    }
    return Mono.error(problem(service, cause));
  }

  /** The problem for a failed call to {@code service}; {@code cause} is null when unknown. */
  public Problem problem(String service, @Nullable Throwable cause) {
    Problem problem = Problem.unavailable(Reason.of(cause).detail(service));
    problem.getBody().setProperty("service", service);
    return problem;
  }

  private static String describe(@Nullable Throwable cause) {
    return cause == null
        ? "no cause recorded"
        : cause.getClass().getName() + ": " + cause.getMessage();
  }

  enum Reason {
    CIRCUIT_OPEN("The %s service failed repeatedly; the gateway stops calling it for a while"),
    TIMED_OUT("The %s service did not answer in time"),
    UNREACHABLE("The %s service cannot be reached"),
    FAILED("The call to the %s service failed");

    private final String template;

    Reason(String template) {
      this.template = template;
    }

    String detail(String service) {
      return template.formatted(service) + "; try again shortly";
    }

    static Reason of(@Nullable Throwable cause) {
      for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof CallNotPermittedException) {
          return CIRCUIT_OPEN;
        }
        if (t instanceof TimeoutException) {
          return TIMED_OUT;
        }
        if (t instanceof ConnectException || t instanceof UnknownHostException) {
          return UNREACHABLE;
        }
      }
      return FAILED;
    }
  }
}
