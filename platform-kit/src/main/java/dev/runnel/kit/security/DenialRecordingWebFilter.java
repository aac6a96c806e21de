package dev.runnel.kit.security;

import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Turns the denials a handler raises into {@code access.denied} events before the kit renders them:
 * a {@link Denial} (role or team scope) and any other 403 problem. It runs inside the security
 * chain, so the caller is known. Spring Security's own {@link AccessDeniedException} is left to
 * {@link ProblemSecurityHandlers}, which records it where Spring Security handles it; 401s are not
 * recorded (see {@code docs/events.md}).
 */
public final class DenialRecordingWebFilter implements WebFilter, Ordered {
  private final ObjectProvider<AccessDenials> denials;

  public DenialRecordingWebFilter(ObjectProvider<AccessDenials> denials) {
    this.denials = denials;
  }

  @Override
  public int getOrder() {
    // After the security chain (-100), so its context is in place, before everything else.
    return -90;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    return chain
        .filter(exchange)
        .onErrorResume(
            error -> {
              AccessDenials recorder = denials.getIfAvailable();
              if (recorder == null || exchange.getResponse().isCommitted()) {
                return Mono.error(error);
              }
              Optional<Describer> describe = describer(error);
              if (describe.isEmpty()) {
                return Mono.error(error);
              }
              return currentCaller()
                  .flatMap(
                      caller -> recorder.record(describe.get().of(exchange, caller.orElse(null))))
                  .then(Mono.error(error));
            });
  }

  /** The caller, or empty for an anonymous request. */
  static Mono<Optional<Caller>> currentCaller() {
    return Callers.current().map(Optional::of).onErrorReturn(Optional.empty());
  }

  private interface Describer {
    DeniedRequest of(ServerWebExchange exchange, Caller caller);
  }

  private static Optional<Describer> describer(Throwable error) {
    if (error instanceof Denial denial) {
      return Optional.of(
          (exchange, caller) ->
              request(
                  exchange,
                  denial.getStatusCode().value(),
                  denial.reason(),
                  denial.reason() == Denial.Reason.FORBIDDEN_ACTION
                      ? denial.getBody().getDetail()
                      : null,
                  caller,
                  denial.team(),
                  denial.objectKind(),
                  denial.objectId()));
    }
    if (error instanceof AccessDeniedException) {
      return Optional.empty();
    }
    if (error instanceof ErrorResponse response && response.getStatusCode().value() == 403) {
      ProblemDetail body = response.getBody();
      return Optional.of(
          (exchange, caller) ->
              request(
                  exchange,
                  403,
                  Denial.Reason.FORBIDDEN_ACTION,
                  body.getDetail(),
                  caller,
                  null,
                  null,
                  null));
    }
    return Optional.empty();
  }

  static DeniedRequest request(
      ServerWebExchange exchange,
      int status,
      Denial.Reason reason,
      String detail,
      Caller caller,
      String team,
      String kind,
      String id) {
    Object route = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    return new DeniedRequest(
        exchange.getRequest().getMethod().name(),
        exchange.getRequest().getPath().value(),
        route == null ? null : route.toString(),
        status,
        reason,
        detail,
        caller,
        team,
        kind,
        id);
  }
}
