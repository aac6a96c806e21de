package dev.runnel.gateway.charts;

import dev.runnel.kit.problem.Problem;
import dev.runnel.kit.problem.ProblemWebExceptionHandler;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

/**
 * The parts of the basic-credentials chain on the chart repository: which requests it takes, the
 * authentication filter, the challenge Helm needs, and the relay of the token to market.
 */
final class ChartsBasicAuth {
  /**
   * The challenge of every 401 on this chain; Helm and browsers answer it with basic credentials.
   */
  static final String CHALLENGE = "Basic realm=\"Runnel charts\"";

  private static final String CHARTS = "/charts";

  private ChartsBasicAuth() {}

  /**
   * {@code GET} or {@code HEAD} of {@code /charts/**} with {@code Authorization: Basic}, and only
   * those: basic credentials anywhere else (another path, another method) go to the other chains,
   * which refuse them with a 401 like any request without a valid token. A path with a dot segment
   * or an encoded slash (plain or percent-encoded) is left to them too, so no path can climb out of
   * {@code /charts} on this chain's credentials.
   */
  static boolean takes(ServerHttpRequest request) {
    HttpMethod method = request.getMethod();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      return false;
    }
    String path = request.getPath().pathWithinApplication().value();
    if (!(path.equals(CHARTS) || path.startsWith(CHARTS + "/"))) {
      return false;
    }
    for (String segment : path.split("/")) {
      String decoded;
      try {
        decoded = UriUtils.decode(segment, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException malformed) {
        return false;
      }
      if (decoded.equals(".")
          || decoded.equals("..")
          || decoded.indexOf('/') >= 0
          || decoded.indexOf('\\') >= 0) {
        return false;
      }
    }
    return BasicCredentialsConverter.isBasic(
        request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
  }

  static Mono<MatchResult> matches(ServerWebExchange exchange) {
    return takes(exchange.getRequest()) ? MatchResult.match() : MatchResult.notMatch();
  }

  /**
   * Reads the credentials, exchanges them ({@code manager}) and, once they are accepted, lets the
   * request on with the access token in place of the credentials; refused credentials are a 401
   * problem with the Basic challenge, Keycloak not answering a 503 problem. Nothing is kept in a
   * session: every request carries its credentials, as Helm sends them.
   */
  static AuthenticationWebFilter filter(
      ReactiveAuthenticationManager manager, ProblemWebExceptionHandler problems) {
    AuthenticationWebFilter filter = new AuthenticationWebFilter(manager);
    filter.setServerAuthenticationConverter(new BasicCredentialsConverter());
    filter.setRequiresAuthenticationMatcher(ChartsBasicAuth::matches);
    filter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
    filter.setAuthenticationSuccessHandler(ChartsBasicAuth::relayAsBearer);
    filter.setAuthenticationFailureHandler(new Refusal(problems));
    return filter;
  }

  /**
   * Continues the request with {@code Authorization: Bearer <access token>} instead of the basic
   * credentials, so market validates the token and applies its rules exactly as for an API client.
   * The password never leaves the gateway; neither do cookies, which are not credentials here.
   */
  private static Mono<Void> relayAsBearer(WebFilterExchange filterExchange, Authentication caller) {
    if (!(caller instanceof JwtAuthenticationToken jwt)) {
      return Mono.error(
          new IllegalStateException("basic credentials on /charts must end in a token"));
    }
    ServerWebExchange relayed =
        filterExchange
            .getExchange()
            .mutate()
            .request(
                r ->
                    r.headers(
                        headers -> {
                          headers.setBearerAuth(jwt.getToken().getTokenValue());
                          headers.remove(HttpHeaders.COOKIE);
                        }))
            .build();
    return filterExchange.getChain().filter(relayed);
  }

  /**
   * What a refused request gets: a 401 problem with {@code WWW-Authenticate: Basic realm="Runnel
   * charts"}, or a 503 problem when Keycloak could not be asked. Both are rendered by the platform
   * kit, like every other problem.
   */
  static final class Refusal
      implements ServerAuthenticationFailureHandler, ServerAuthenticationEntryPoint {
    private final ProblemWebExceptionHandler problems;

    Refusal(ProblemWebExceptionHandler problems) {
      this.problems = problems;
    }

    @Override
    public Mono<Void> onAuthenticationFailure(
        WebFilterExchange filterExchange, AuthenticationException exception) {
      return commence(filterExchange.getExchange(), exception);
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException exception) {
      if (exception instanceof KeycloakUnavailableException) {
        return problems.handle(
            exchange,
            Problem.unavailable(
                "The sign-in service (Keycloak) cannot check credentials right now, so the chart"
                    + " repository cannot be reached with a user name and password; try again"
                    + " shortly"));
      }
      exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
      return problems.handle(
          exchange,
          Problem.unauthenticated(
              "The chart repository takes the user name and password of a Runnel account, or an"
                  + " integration's client id and secret, as basic credentials (helm repo add"
                  + " --username ... --password ...); these were not accepted"));
    }
  }
}
