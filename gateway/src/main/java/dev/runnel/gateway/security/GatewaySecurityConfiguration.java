package dev.runnel.gateway.security;

import dev.runnel.kit.security.ProblemSecurityHandlers;
import dev.runnel.kit.security.RunnelSecurity;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * The gateway validates bearer tokens itself before relaying them (defence in depth), like every
 * service, with two differences from the platform kit's chain: Swagger UI's static page and its
 * configuration are public (the documents it loads are not; its Authorize button sends the token),
 * and the circuit breakers' fallback path is not reachable from outside.
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurityConfiguration {

  /** Swagger UI's page, its assets and the list of documents it offers. */
  static final String[] SWAGGER_UI = {"/api/docs", "/api/docs/**", "/v3/api-docs/swagger-config"};

  @Bean
  SecurityWebFilterChain gatewaySecurityChain(
      ServerHttpSecurity http, ProblemSecurityHandlers problems) {
    return RunnelSecurity.chain(
        http,
        problems,
        rules ->
            rules
                .pathMatchers("/fallback/**")
                .denyAll()
                .pathMatchers(HttpMethod.GET, SWAGGER_UI)
                .permitAll());
  }
}
