package dev.runnel.gateway.login;

import dev.runnel.kit.security.Caller;
import dev.runnel.kit.security.Callers;
import java.net.URI;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code GET /login} starts a login unless Keycloak is down (then a 503 problem instead of a
 * browser stranded on an unreachable page); {@code GET /api/session} tells the SPA who is logged in
 * and how to send the CSRF token.
 */
final class LoginEndpoints {
  static final URI AUTHORIZATION_START =
      URI.create("/oauth2/authorization/" + LoginConfiguration.REGISTRATION);
  private static final Logger log = LoggerFactory.getLogger(LoginEndpoints.class);

  private final KeycloakClient keycloak;
  private final ReactiveOAuth2AuthorizedClientManager clients;
  private final ReactiveJwtDecoder tokens;

  LoginEndpoints(
      KeycloakClient keycloak,
      ReactiveOAuth2AuthorizedClientManager clients,
      ReactiveJwtDecoder tokens) {
    this.keycloak = keycloak;
    this.clients = clients;
    this.tokens = tokens;
  }

  RouterFunction<ServerResponse> routes() {
    return RouterFunctions.route()
        .GET("/login", this::login)
        .GET("/api/session", this::session)
        .build();
  }

  Mono<ServerResponse> login(ServerRequest request) {
    return keycloak
        .probe()
        .onErrorMap(
            e -> {
              log.warn("Login refused, Keycloak does not answer: {}", e.toString());
              return LoginProblems.signInUnavailable();
            })
        .then(
            Mono.defer(
                () ->
                    ServerResponse.status(HttpStatus.FOUND).location(AUTHORIZATION_START).build()));
  }

  Mono<ServerResponse> session(ServerRequest request) {
    ServerWebExchange exchange = request.exchange();
    // Reading the token is what makes the CSRF filter send its cookie to the SPA.
    Mono<CsrfToken> csrf = exchange.getAttributeOrDefault(CsrfToken.class.getName(), Mono.empty());
    Mono<Map<String, Object>> who =
        request
            .principal()
            .flatMap(principal -> describe(exchange, principal))
            .defaultIfEmpty(Map.of("authenticated", false, "loginUrl", "/login"));
    return who.zipWith(csrf.map(LoginEndpoints::csrfContract).defaultIfEmpty(Map.of()))
        .flatMap(
            both -> {
              Map<String, Object> body = new LinkedHashMap<>(both.getT1());
              if (!both.getT2().isEmpty()) {
                body.put("csrf", both.getT2());
              }
              return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
            });
  }

  private Mono<Map<String, Object>> describe(ServerWebExchange exchange, Principal principal) {
    if (principal instanceof JwtAuthenticationToken bearer) {
      return Mono.just(caller("bearer", Callers.fromJwt(bearer.getToken()), null));
    }
    if (principal instanceof OAuth2AuthenticationToken session) {
      OAuth2AuthorizeRequest authorize =
          OAuth2AuthorizeRequest.withClientRegistrationId(
                  session.getAuthorizedClientRegistrationId())
              .principal(session)
              .attribute(ServerWebExchange.class.getName(), exchange)
              .build();
      OidcUser user = session.getPrincipal() instanceof OidcUser oidc ? oidc : null;
      return clients
          .authorize(authorize)
          .switchIfEmpty(Mono.error(LoginProblems::sessionEnded))
          .flatMap(client -> tokens.decode(client.getAccessToken().getTokenValue()))
          .map(jwt -> caller("session", Callers.fromJwt(jwt), user));
    }
    return Mono.empty();
  }

  private static Map<String, Object> caller(String via, Caller caller, OidcUser user) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("authenticated", true);
    body.put("via", via);
    body.put("username", caller.username());
    if (user != null) {
      if (user.getFullName() != null) {
        body.put("name", user.getFullName());
      }
      if (user.getEmail() != null) {
        body.put("email", user.getEmail());
      }
    }
    body.put("platformRoles", new TreeSet<>(caller.platformRoles()));
    body.put("teams", caller.teams());
    return body;
  }

  private static Map<String, Object> csrfContract(CsrfToken token) {
    return Map.of("cookie", LoginProblems.CSRF_COOKIE, "header", token.getHeaderName());
  }
}
