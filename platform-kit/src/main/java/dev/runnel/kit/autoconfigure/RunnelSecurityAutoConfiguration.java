package dev.runnel.kit.autoconfigure;

import dev.runnel.kit.problem.ProblemWebExceptionHandler;
import dev.runnel.kit.security.AccessDenials;
import dev.runnel.kit.security.DenialRecordingWebFilter;
import dev.runnel.kit.security.ProblemSecurityHandlers;
import dev.runnel.kit.security.RunnelSecurity;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
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
  ProblemSecurityHandlers runnelSecurityProblems(
      ProblemWebExceptionHandler problems, ObjectProvider<AccessDenials> denials) {
    return new ProblemSecurityHandlers(problems, denials);
  }

  /** Records every denial a handler raises as an event (where the service has an outbox). */
  @Bean
  DenialRecordingWebFilter runnelDenialRecording(ObjectProvider<AccessDenials> denials) {
    return new DenialRecordingWebFilter(denials);
  }

  @Bean
  @ConditionalOnMissingBean(SecurityWebFilterChain.class)
  SecurityWebFilterChain runnelSecurityChain(
      ServerHttpSecurity http, ProblemSecurityHandlers problems) {
    return RunnelSecurity.chain(http, problems, rules -> {});
  }
}
