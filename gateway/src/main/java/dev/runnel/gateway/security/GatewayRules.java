package dev.runnel.gateway.security;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;

/**
 * The gateway's own access rules, shared by the bearer chain and the browser-session chain: Swagger
 * UI's page and its list of documents are public (the documents are not), and the circuit breakers'
 * fallback path is not reachable from outside. Also the order of the gateway's security chains,
 * most specific first; the bearer chain ({@link GatewaySecurityConfiguration}) matches everything
 * and comes last.
 */
public final class GatewayRules {
  /**
   * The chain for Helm clients' basic credentials on {@code /charts/**} ({@code charts}) comes
   * first: it matches only {@code GET}/{@code HEAD} there with {@code Authorization: Basic}, which
   * the session chain would otherwise take as a request without a bearer token.
   */
  public static final int CHARTS_BASIC_CHAIN_ORDER = Ordered.HIGHEST_PRECEDENCE;

  /** The browser-session chain ({@code login}): every request without a bearer token. */
  public static final int SESSION_CHAIN_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

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
