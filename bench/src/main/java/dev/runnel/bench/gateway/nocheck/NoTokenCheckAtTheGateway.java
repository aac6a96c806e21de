package dev.runnel.bench.gateway.nocheck;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Benchmark only, never part of the gateway's jar: a security chain in front of the gateway's own
 * that lets {@code /api/**} through without looking at the bearer token, so the benchmark can
 * measure what the gateway's token check costs. Everything else stays as shipped: the same jar,
 * configuration, routes, circuit breakers, observation, and Spring Security's filter chain proxy
 * still runs (with this chain's filters). The token is still relayed, and the service behind checks
 * it as always.
 *
 * <p>{@link dev.runnel.bench.gateway.GatewayBenchmark} writes this class and an auto-configuration
 * imports file into a jar of its own and starts the gateway with it on Spring Boot's {@code
 * loader.path}.
 */
@AutoConfiguration
public class NoTokenCheckAtTheGateway {

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  SecurityWebFilterChain benchNoTokenCheck(ServerHttpSecurity http) {
    return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/api/**"))
        .csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
        // Stateless like the gateway's bearer chain: no session is looked up or created.
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .authorizeExchange(rules -> rules.anyExchange().permitAll())
        .build();
  }
}
