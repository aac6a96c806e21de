package dev.runnel.gateway.login;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Turns "Keycloak did not answer" on the paths where the gateway itself calls Keycloak during a
 * login (the code exchange on return from Keycloak) into the 503 problem, instead of an internal
 * error. Runs outside the security filters, which let such failures through unwrapped.
 */
final class SignInOutageFilter implements WebFilter, Ordered {
  static final String CALLBACK_PREFIX = "/login/oauth2/code/";

  @Override
  public int getOrder() {
    // Before the security filter chain (-100), after the kit's body size limit.
    return -200;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (!exchange.getRequest().getPath().value().startsWith(CALLBACK_PREFIX)) {
      return chain.filter(exchange);
    }
    return chain
        .filter(exchange)
        .onErrorMap(LoginProblems::isUnreachable, e -> LoginProblems.signInUnavailable());
  }
}
