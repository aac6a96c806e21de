package dev.runnel.gateway.login;

import dev.runnel.gateway.security.GatewayRules;
import dev.runnel.kit.problem.Problem;
import dev.runnel.kit.problem.ProblemWebExceptionHandler;
import dev.runnel.kit.security.ProblemSecurityHandlers;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveRefreshTokenTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.server.WebSessionServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.logout.DelegatingServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.SecurityContextServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.ServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.ServerLogoutSuccessHandler;
import org.springframework.security.web.server.authentication.logout.WebSessionServerLogoutHandler;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.WebSessionIdResolver;
import reactor.core.publisher.Mono;

/**
 * Browser login, on when {@code runnel.gateway.login.client-secret} is set. Requests without a
 * bearer token are handled by a session chain: Keycloak's authorization code flow with PKCE, the
 * session in an HttpOnly, SameSite=Lax cookie, CSRF tokens for the SPA (cookie to header), and a
 * logout that ends the Keycloak session. Requests with a bearer token keep the stateless chain of
 * {@code security.GatewaySecurityConfiguration}, without CSRF, as before.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LoginProperties.class)
@ConditionalOnProperty("runnel.gateway.login.client-secret")
class LoginConfiguration {
  static final String REGISTRATION = "keycloak";
  static final String SESSION_COOKIE = "SESSION";
  private static final String KEYCLOAK_LOGOUT_FAILED =
      LoginConfiguration.class.getName() + ".keycloakLogoutFailed";
  private static final Logger log = LoggerFactory.getLogger(LoginConfiguration.class);

  @Bean
  KeycloakClient keycloakClient(LoginProperties properties) {
    return new KeycloakClient(properties);
  }

  @Bean
  ReactiveClientRegistrationRepository clientRegistrations(LoginProperties properties) {
    KeycloakEndpoints keycloak = properties.endpoints();
    ClientRegistration registration =
        ClientRegistration.withRegistrationId(REGISTRATION)
            .clientName("Keycloak")
            .clientId(properties.clientId())
            .clientSecret(properties.clientSecret())
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
            .scope(properties.scopes())
            .issuerUri(keycloak.issuer().toString())
            .authorizationUri(keycloak.authorization().toString())
            .tokenUri(keycloak.token().toString())
            .jwkSetUri(keycloak.jwkSet().toString())
            .userInfoUri(keycloak.userInfo().toString())
            .userNameAttributeName("preferred_username")
            .providerConfigurationMetadata(
                Map.of("end_session_endpoint", keycloak.endSession().toString()))
            .build();
    return new InMemoryReactiveClientRegistrationRepository(registration);
  }

  /** Tokens live in the session, so they end with it and never reach the browser. */
  @Bean
  ServerOAuth2AuthorizedClientRepository authorizedClients() {
    return new WebSessionServerOAuth2AuthorizedClientRepository();
  }

  @Bean
  ReactiveOAuth2AuthorizedClientManager authorizedClientManager(
      ReactiveClientRegistrationRepository registrations,
      ServerOAuth2AuthorizedClientRepository authorizedClients,
      LoginProperties properties) {
    WebClientReactiveRefreshTokenTokenResponseClient refresh =
        new WebClientReactiveRefreshTokenTokenResponseClient();
    refresh.setWebClient(KeycloakClient.webClient(properties.probeTimeout()));
    ReactiveOAuth2AuthorizedClientProvider provider =
        ReactiveOAuth2AuthorizedClientProviderBuilder.builder()
            .authorizationCode()
            .refreshToken(
                r ->
                    r.clockSkew(properties.refreshBeforeExpiry())
                        .accessTokenResponseClient(refresh))
            .build();
    DefaultReactiveOAuth2AuthorizedClientManager manager =
        new DefaultReactiveOAuth2AuthorizedClientManager(registrations, authorizedClients);
    manager.setAuthorizedClientProvider(provider);
    return manager;
  }

  @Bean
  SessionTokenRelay sessionTokenRelay(ReactiveOAuth2AuthorizedClientManager manager) {
    return new SessionTokenRelay(manager);
  }

  @Bean
  LoginEndpoints loginEndpoints(
      KeycloakClient keycloak,
      ReactiveOAuth2AuthorizedClientManager manager,
      ReactiveJwtDecoder jwtDecoder) {
    return new LoginEndpoints(keycloak, manager, jwtDecoder);
  }

  @Bean
  RouterFunction<ServerResponse> loginRoutes(LoginEndpoints endpoints) {
    return endpoints.routes();
  }

  /**
   * The session cookie: HttpOnly and SameSite=Lax always; Secure on HTTPS requests (also when a
   * proxy forwards them as such) or always when configured.
   */
  @Bean
  WebSessionIdResolver webSessionIdResolver(LoginProperties properties) {
    CookieWebSessionIdResolver resolver = new CookieWebSessionIdResolver();
    resolver.setCookieName(SESSION_COOKIE);
    resolver.addCookieInitializer(
        cookie -> {
          cookie.httpOnly(true).sameSite("Lax").path("/");
          if (properties.alwaysSecureCookies()) {
            cookie.secure(true);
          }
        });
    return resolver;
  }

  /**
   * Keycloak not answering while the gateway exchanges a login code or ends a session is a 503
   * problem the person can act on (try again), not an internal error.
   */
  @Bean
  WebFilter signInOutageProblems() {
    return new SignInOutageFilter();
  }

  @Bean
  @Order(GatewayRules.SESSION_CHAIN_ORDER)
  SecurityWebFilterChain gatewaySessionChain(
      ServerHttpSecurity http,
      ProblemSecurityHandlers problems,
      ProblemWebExceptionHandler renderer,
      ReactiveClientRegistrationRepository registrations,
      ServerOAuth2AuthorizedClientRepository authorizedClients,
      LoginProperties properties,
      KeycloakClient keycloak) {
    DefaultServerOAuth2AuthorizationRequestResolver pkce =
        new DefaultServerOAuth2AuthorizationRequestResolver(registrations);
    pkce.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());

    CookieServerCsrfTokenRepository csrfTokens =
        CookieServerCsrfTokenRepository.withHttpOnlyFalse();
    csrfTokens.setCookieName(LoginProblems.CSRF_COOKIE);
    csrfTokens.setHeaderName(LoginProblems.CSRF_HEADER);
    csrfTokens.setCookieCustomizer(
        cookie -> {
          cookie.sameSite("Lax");
          if (properties.alwaysSecureCookies()) {
            cookie.secure(true);
          }
        });

    return http.securityMatcher(LoginConfiguration::withoutBearerToken)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
        .csrf(
            csrf ->
                csrf.csrfTokenRepository(csrfTokens)
                    // The SPA sends the cookie's value as is; no per-request masking (BREACH does
                    // not apply: the token is never reflected in a compressed response body).
                    .csrfTokenRequestHandler(new ServerCsrfTokenRequestAttributeHandler())
                    .requireCsrfProtectionMatcher(LoginConfiguration::stateChangingWithSession)
                    .accessDeniedHandler(
                        (exchange, denied) ->
                            renderer.handle(exchange, LoginProblems.csrfMissing())))
        .oauth2Login(
            login ->
                login
                    .loginPage("/login")
                    .clientRegistrationRepository(registrations)
                    .authorizedClientRepository(authorizedClients)
                    .authorizationRequestResolver(pkce)
                    .authenticationSuccessHandler(loggedIn(properties))
                    .authenticationFailureHandler(loginFailed()))
        .logout(
            logout ->
                logout
                    .logoutUrl("/logout")
                    .logoutHandler(
                        new DelegatingServerLogoutHandler(
                            endKeycloakSession(authorizedClients, keycloak),
                            new SecurityContextServerLogoutHandler(),
                            new WebSessionServerLogoutHandler()))
                    .logoutSuccessHandler(loggedOut(renderer)))
        .authorizeExchange(
            rules -> {
              rules
                  .pathMatchers("/actuator/health", "/actuator/health/**")
                  .permitAll()
                  // Actuator data is for admins' and auditors' bearer tokens, not for sessions.
                  .pathMatchers("/actuator/**")
                  .denyAll()
                  .pathMatchers(HttpMethod.GET, "/login", "/api/session")
                  .permitAll();
              GatewayRules.apply(rules);
              rules.anyExchange().authenticated();
            })
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .build();
  }

  private static Mono<MatchResult> withoutBearerToken(ServerWebExchange exchange) {
    String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    return bearer ? MatchResult.notMatch() : MatchResult.match();
  }

  /**
   * CSRF is a forged request riding on the browser's session cookie: requests that change something
   * and carry that cookie need the token; requests without it are anonymous anyway and get the 401
   * problem.
   */
  private static Mono<MatchResult> stateChangingWithSession(ServerWebExchange exchange) {
    HttpMethod method = exchange.getRequest().getMethod();
    boolean safe =
        method == HttpMethod.GET
            || method == HttpMethod.HEAD
            || method == HttpMethod.OPTIONS
            || method == HttpMethod.TRACE;
    boolean session = exchange.getRequest().getCookies().containsKey(SESSION_COOKIE);
    return !safe && session ? MatchResult.match() : MatchResult.notMatch();
  }

  /** A fresh session id after login, so that an id planted before login is worth nothing. */
  private static ServerAuthenticationSuccessHandler loggedIn(LoginProperties properties) {
    RedirectServerAuthenticationSuccessHandler redirect =
        new RedirectServerAuthenticationSuccessHandler(properties.successUrl());
    return (filterExchange, authentication) ->
        filterExchange
            .getExchange()
            .getSession()
            .flatMap(WebSession::changeSessionId)
            .then(redirect.onAuthenticationSuccess(filterExchange, authentication));
  }

  private static ServerAuthenticationFailureHandler loginFailed() {
    return (filterExchange, failure) -> {
      if (LoginProblems.isUnreachable(failure)) {
        return Mono.error(LoginProblems.signInUnavailable());
      }
      String reason =
          failure instanceof OAuth2AuthenticationException oauth
              ? oauth.getError().getErrorCode()
              : "unexpected answer from the sign-in service";
      log.info("A login failed: {}", reason);
      return Mono.error(LoginProblems.loginFailed(reason));
    };
  }

  /**
   * Ends the user's Keycloak session with the session's refresh token before the local session is
   * dropped, so that the browser's Keycloak cookie cannot log them straight back in. When Keycloak
   * does not answer, the local logout still happens and the caller is told.
   */
  private static ServerLogoutHandler endKeycloakSession(
      ServerOAuth2AuthorizedClientRepository authorizedClients, KeycloakClient keycloak) {
    return (filterExchange, authentication) -> {
      if (!(authentication instanceof OAuth2AuthenticationToken token)) {
        return Mono.empty();
      }
      return authorizedClients
          .loadAuthorizedClient(
              token.getAuthorizedClientRegistrationId(), token, filterExchange.getExchange())
          .filter(client -> client.getRefreshToken() != null)
          .flatMap(client -> keycloak.endSession(client.getRefreshToken().getTokenValue()))
          .onErrorResume(
              e -> {
                log.warn(
                    "Could not end the Keycloak session of {}: {}", token.getName(), e.toString());
                filterExchange.getExchange().getAttributes().put(KEYCLOAK_LOGOUT_FAILED, true);
                return Mono.empty();
              });
    };
  }

  private static ServerLogoutSuccessHandler loggedOut(ProblemWebExceptionHandler renderer) {
    return (filterExchange, authentication) -> {
      ServerWebExchange exchange = filterExchange.getExchange();
      if (exchange.getAttribute(KEYCLOAK_LOGOUT_FAILED) != null) {
        return renderer.handle(
            exchange,
            Problem.unavailable(
                "You are logged out of Runnel, but the sign-in service (Keycloak) could not be"
                    + " reached to end your single sign-on session; it ends when it expires"));
      }
      exchange.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
      return exchange.getResponse().setComplete();
    };
  }
}
