package dev.runnel.identity.keycloak;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class KeycloakConfiguration {
  @Bean(destroyMethod = "close")
  KeycloakAdmin keycloakAdmin(KeycloakProperties properties) {
    return new KeycloakAdmin(properties);
  }
}
