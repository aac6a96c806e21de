package dev.runnel.gateway.charts;

import dev.runnel.gateway.login.KeycloakClient;
import dev.runnel.gateway.login.KeycloakEndpoints;
import dev.runnel.gateway.routing.RouteResilience;
import dev.runnel.gateway.routing.RoutingProperties;
import dev.runnel.gateway.security.GatewayRules;
import dev.runnel.kit.problem.ProblemWebExceptionHandler;
import dev.runnel.kit.security.ProblemSecurityHandlers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;

/**
 * Basic credentials on the chart repository, on unless {@code
 * runnel.gateway.charts-auth.enabled=false}. A chain of its own, ahead of the session and bearer
 * chains, takes {@code GET}/{@code HEAD} of {@code /charts/**} with {@code Authorization: Basic}
 * and nothing else; it needs no secret of the gateway's (the password grant goes through the CLI's
 * public client).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ChartsAuthProperties.class)
@ConditionalOnProperty(value = "runnel.gateway.charts-auth.enabled", matchIfMissing = true)
class ChartsAuthConfiguration {
  /** The breaker of the gateway's Keycloak calls for chart credentials, in the routes' registry. */
  static final String BREAKER = "keycloak-chart-credentials";

  @Bean
  KeycloakCredentialsExchange chartCredentialsExchange(
      ChartsAuthProperties properties,
      RoutingProperties routing,
      ReactiveResilience4JCircuitBreakerFactory breakers) {
    // In the shared registry, so its metrics and state changes show up with the routes' breakers.
    CircuitBreaker breaker =
        breakers
            .getCircuitBreakerRegistry()
            .circuitBreaker(
                BREAKER,
                KeycloakCredentialsExchange.breakerConfig(
                    RouteResilience.breakerConfig(routing.circuitBreaker())));
    return new KeycloakCredentialsExchange(
        KeycloakEndpoints.of(properties.issuerUri()).token(),
        properties.userClientId(),
        properties.integrationClientPrefix(),
        KeycloakClient.webClient(properties.keycloakTimeout()),
        properties.keycloakTimeout(),
        breaker);
  }

  @Bean
  @Order(GatewayRules.CHARTS_BASIC_CHAIN_ORDER)
  SecurityWebFilterChain chartsBasicCredentialsChain(
      ServerHttpSecurity http,
      ChartsAuthProperties properties,
      KeycloakCredentialsExchange keycloak,
      ReactiveJwtDecoder jwtDecoder,
      ProblemWebExceptionHandler renderer,
      ProblemSecurityHandlers problems) {
    ExchangedTokens remembered =
        new ExchangedTokens(
            properties.cacheMaxEntries(),
            properties.cacheMaxAge(),
            properties.minRemainingValidity(),
            Clock.systemUTC());
    ChartsAuthenticationManager manager =
        new ChartsAuthenticationManager(keycloak, jwtDecoder, remembered);
    return http.securityMatcher(ChartsBasicAuth::matches)
        .csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .addFilterAt(ChartsBasicAuth.filter(manager, renderer), SecurityWebFiltersOrder.HTTP_BASIC)
        .authorizeExchange(rules -> rules.anyExchange().authenticated())
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(new ChartsBasicAuth.Refusal(renderer))
                    .accessDeniedHandler(problems))
        .build();
  }
}
