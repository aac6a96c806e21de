package dev.runnel.kit.security;

import dev.runnel.kit.problem.ProblemWebExceptionHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * 401 and 403 rendered as the same problem documents as every other error, with the {@code
 * WWW-Authenticate} challenge RFC 6750 asks for.
 */
public final class ProblemSecurityHandlers
    implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {
  private final ProblemWebExceptionHandler problems;
  private final ObjectProvider<AccessDenials> denials;

  public ProblemSecurityHandlers(
      ProblemWebExceptionHandler problems, ObjectProvider<AccessDenials> denials) {
    this.problems = problems;
    this.denials = denials;
  }

  @Override
  public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
    boolean tokenSent = exchange.getRequest().getHeaders().getFirst("Authorization") != null;
    exchange
        .getResponse()
        .getHeaders()
        .set(
            "WWW-Authenticate",
            tokenSent ? "Bearer error=\"invalid_token\"" : "Bearer realm=\"runnel\"");
    return problems.handle(exchange, ex);
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
    AccessDenials recorder = denials.getIfAvailable();
    if (recorder == null) {
      return problems.handle(exchange, denied);
    }
    // Spring Security refused the path itself (for example actuator data for a team member).
    return DenialRecordingWebFilter.currentCaller()
        .flatMap(
            caller ->
                recorder.record(
                    DenialRecordingWebFilter.request(
                        exchange,
                        403,
                        Denial.Reason.FORBIDDEN_ACTION,
                        "Your roles do not allow this action",
                        caller.orElse(null),
                        null,
                        null,
                        null)))
        .then(problems.handle(exchange, denied));
  }
}
