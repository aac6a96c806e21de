package dev.runnel.identity.realm;

import dev.runnel.identity.keycloak.KeycloakAdmin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RealmConfiguration {
  @Bean(destroyMethod = "close")
  RealmBootstrap realmBootstrap(KeycloakAdmin keycloak, RealmProperties properties) {
    return new RealmBootstrap(keycloak, properties);
  }
}
