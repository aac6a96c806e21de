package dev.runnel.gateway.security;

import dev.runnel.kit.security.Callers;
import dev.runnel.kit.security.ProblemSecurityHandlers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;

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
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    .pathMatchers("/actuator/**")
                    .hasAnyRole("platform-admin", "platform-auditor")
                    .pathMatchers("/fallback/**")
                    .denyAll()
                    .pathMatchers(HttpMethod.GET, SWAGGER_UI)
                    .permitAll()
                    .anyExchange()
                    .authenticated())
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .jwt(jwt -> jwt.jwtAuthenticationConverter(platformRoles()))
                    .authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems))
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .build();
  }

  /** Realm roles as {@code ROLE_<role>}, the same mapping the services use. */
  private static ReactiveJwtAuthenticationConverterAdapter platformRoles() {
    JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
    converter.setPrincipalClaimName("preferred_username");
    converter.setJwtGrantedAuthoritiesConverter(
        jwt ->
            Callers.fromJwt(jwt).platformRoles().stream()
                .<GrantedAuthority>map(role -> new SimpleGrantedAuthority("ROLE_" + role))
                .toList());
    return new ReactiveJwtAuthenticationConverterAdapter(converter);
  }
}
