package dev.runnel.kit.security;

import dev.runnel.kit.problem.ProblemWebExceptionHandler;
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

  public ProblemSecurityHandlers(ProblemWebExceptionHandler problems) {
    this.problems = problems;
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
    return problems.handle(exchange, denied);
  }
}
