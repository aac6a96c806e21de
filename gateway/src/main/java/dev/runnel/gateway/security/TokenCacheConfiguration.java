package dev.runnel.gateway.security;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Wraps the JWT decoder Spring Boot builds from {@code spring.security.oauth2.resourceserver.jwt.*}
 * (issuer, JWKS, validators all as configured) in a {@link CachingJwtDecoder}, for the bearer chain
 * and the login endpoints alike.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TokenCacheProperties.class)
class TokenCacheConfiguration {

  // Static, so that the post-processor does not make its configuration class initialise early.
  @Bean
  static BeanPostProcessor cachingJwtDecoder(ObjectProvider<TokenCacheProperties> properties) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof ReactiveJwtDecoder decoder) || bean instanceof CachingJwtDecoder) {
          return bean;
        }
        TokenCacheProperties cache = properties.getObject();
        if (!cache.enabled()) {
          return bean;
        }
        return new CachingJwtDecoder(
            decoder, cache.maxEntries(), cache.maxAge(), Clock.systemUTC());
      }
    };
  }
}
