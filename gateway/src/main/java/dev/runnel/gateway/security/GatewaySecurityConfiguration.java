package dev.runnel.gateway.security;

import dev.runnel.kit.security.ProblemSecurityHandlers;
import dev.runnel.kit.security.RunnelSecurity;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * The gateway validates bearer tokens itself before relaying them (defence in depth), like every
 * service, with two differences from the platform kit's chain: Swagger UI's static page and its
 * configuration are public (the documents it loads are not; its Authorize button sends the token),
 * and the circuit breakers' fallback path is not reachable from outside ({@link GatewayRules}).
 *
 * <p>With browser login configured, requests without a bearer token go to the session chain of
 * {@code login.LoginConfiguration} first; this chain then serves bearer (API) clients only.
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurityConfiguration {

  @Bean
  SecurityWebFilterChain gatewaySecurityChain(
      ServerHttpSecurity http, ProblemSecurityHandlers problems) {
    return RunnelSecurity.chain(http, problems, GatewayRules::apply);
  }
}
