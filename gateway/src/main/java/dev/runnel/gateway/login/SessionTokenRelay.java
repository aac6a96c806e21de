package dev.runnel.gateway.login;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * Relays a browser session's access token to the services as a bearer token, renewing it with the
 * refresh token shortly before it expires ({@code runnel.gateway.login.refresh-before-expiry}).
 * Requests that came with a bearer token are passed on untouched.
 *
 * <p>Services see a bearer request like any other: the session and CSRF cookies and the CSRF header
 * stay at the gateway, so no service ever holds what would let it act as the browser.
 *
 * <p>Runs before the routes' circuit breakers: a session that cannot be renewed is the caller's
 * 401, and Keycloak being down is a 503 about sign-in, neither of which is the service's failure.
 */
public final class SessionTokenRelay implements GlobalFilter, Ordered {
  private static final Logger log = LoggerFactory.getLogger(SessionTokenRelay.class);

  private final ReactiveOAuth2AuthorizedClientManager clients;

  SessionTokenRelay(ReactiveOAuth2AuthorizedClientManager clients) {
    this.clients = clients;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 1000;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    return exchange
        .getPrincipal()
        .filter(OAuth2AuthenticationToken.class::isInstance)
        .cast(OAuth2AuthenticationToken.class)
        .flatMap(session -> relay(exchange, session))
        .switchIfEmpty(Mono.defer(() -> Mono.just(exchange)))
        .flatMap(chain::filter);
  }

  private Mono<ServerWebExchange> relay(
      ServerWebExchange exchange, OAuth2AuthenticationToken session) {
    OAuth2AuthorizeRequest request =
        OAuth2AuthorizeRequest.withClientRegistrationId(session.getAuthorizedClientRegistrationId())
            .principal(session)
            .attribute(ServerWebExchange.class.getName(), exchange)
            .build();
    return clients
        .authorize(request)
        .map(client -> withBearer(exchange, client.getAccessToken().getTokenValue()))
        // No tokens left in the session (removed after a failed renewal): the session is over.
        .switchIfEmpty(Mono.defer(() -> ended(exchange)))
        .onErrorResume(
            e -> !(e instanceof ErrorResponseException),
            e -> {
              if (LoginProblems.isUnreachable(e)) {
                return Mono.error(LoginProblems.signInUnavailable());
              }
              if (e instanceof OAuth2AuthorizationException refused) {
                log.info(
                    "Session of {} ended: Keycloak refused to renew its token ({})",
                    session.getName(),
                    refused.getError().getErrorCode());
                return ended(exchange);
              }
              return Mono.error(e);
            });
  }

  private static Mono<ServerWebExchange> ended(ServerWebExchange exchange) {
    return exchange
        .getSession()
        .flatMap(WebSession::invalidate)
        .then(Mono.error(LoginProblems.sessionEnded()));
  }

  private static ServerWebExchange withBearer(ServerWebExchange exchange, String accessToken) {
    return exchange
        .mutate()
        .request(
            r ->
                r.headers(
                    headers -> {
                      headers.setBearerAuth(accessToken);
                      headers.remove(HttpHeaders.COOKIE);
                      headers.remove(LoginProblems.CSRF_HEADER);
                    }))
        .build();
  }
}
