package dev.runnel.gateway.security;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;

/**
 * The gateway's own access rules, shared by the bearer chain and the browser-session chain: Swagger
 * UI's page and its list of documents are public (the documents are not), and the circuit breakers'
 * fallback path is not reachable from outside.
 */
public final class GatewayRules {
  /** Swagger UI's page, its assets and the list of documents it offers. */
  static final String[] SWAGGER_UI = {"/api/docs", "/api/docs/**", "/v3/api-docs/swagger-config"};

  private GatewayRules() {}

  public static void apply(ServerHttpSecurity.AuthorizeExchangeSpec rules) {
    rules
        .pathMatchers("/fallback/**")
        .denyAll()
        .pathMatchers(HttpMethod.GET, SWAGGER_UI)
        .permitAll();
  }
}
