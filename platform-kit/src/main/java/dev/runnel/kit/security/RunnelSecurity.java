package dev.runnel.kit.security;

import java.util.function.Consumer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;

/**
 * The security chain every Runnel process shares: stateless JWT resource server, open health
 * probes, actuator data for admins and auditors, problem-shaped 401 and 403, everything else
 * authenticated. A process with extra paths (the gateway) adds its rules before the catch-all.
 */
public final class RunnelSecurity {
  private RunnelSecurity() {}

  public static SecurityWebFilterChain chain(
      ServerHttpSecurity http,
      ProblemSecurityHandlers problems,
      Consumer<ServerHttpSecurity.AuthorizeExchangeSpec> extraRules) {
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .authorizeExchange(
            exchanges -> {
              exchanges
                  .pathMatchers("/actuator/health", "/actuator/health/**")
                  .permitAll()
                  .pathMatchers("/actuator/**")
                  .hasAnyRole(Caller.PLATFORM_ADMIN, Caller.PLATFORM_AUDITOR);
              extraRules.accept(exchanges);
              exchanges.anyExchange().authenticated();
            })
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .jwt(jwt -> jwt.jwtAuthenticationConverter(platformRoles()))
                    .authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems))
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .build();
  }

  /** Realm roles as {@code ROLE_<role>}; the principal's name is the user name. */
  public static ReactiveJwtAuthenticationConverterAdapter platformRoles() {
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
