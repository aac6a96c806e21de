package dev.runnel.kit.autoconfigure;

import dev.runnel.kit.problem.ProblemWebExceptionHandler;
import dev.runnel.kit.security.Callers;
import dev.runnel.kit.security.ProblemSecurityHandlers;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * Every service is a JWT resource server: all endpoints need a valid bearer token except the health
 * probes; actuator data beyond health is for platform admins and auditors. Authorisation by team is
 * the service's job, with {@link dev.runnel.kit.security.Caller}.
 */
@AutoConfiguration(
    before = ReactiveOAuth2ResourceServerAutoConfiguration.class,
    after = RunnelKitAutoConfiguration.class)
@EnableWebFluxSecurity
public class RunnelSecurityAutoConfiguration {

  @Bean
  ProblemSecurityHandlers runnelSecurityProblems(ProblemWebExceptionHandler problems) {
    return new ProblemSecurityHandlers(problems);
  }

  @Bean
  @ConditionalOnMissingBean(SecurityWebFilterChain.class)
  SecurityWebFilterChain runnelSecurityChain(
      ServerHttpSecurity http, ProblemSecurityHandlers problems) {
    JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
    converter.setPrincipalClaimName("preferred_username");
    converter.setJwtGrantedAuthoritiesConverter(
        jwt ->
            Callers.fromJwt(jwt).platformRoles().stream()
                .map(r -> new SimpleGrantedAuthority("ROLE_" + r))
                .map(a -> (org.springframework.security.core.GrantedAuthority) a)
                .toList());
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
        .securityContextRepository(
            org.springframework.security.web.server.context.NoOpServerSecurityContextRepository
                .getInstance())
        .authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    .pathMatchers("/actuator/**")
                    .hasAnyRole("platform-admin", "platform-auditor")
                    .anyExchange()
                    .authenticated())
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .jwt(
                        jwt ->
                            jwt.jwtAuthenticationConverter(
                                new ReactiveJwtAuthenticationConverterAdapter(converter)))
                    .authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems))
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .build();
  }
}
