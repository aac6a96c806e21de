package dev.runnel.identity;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * identity-service: users, teams, members, quotas and integrations, with Keycloak as the identity
 * provider (driven through its admin API) and its own database as the source of truth for team
 * membership.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IdentityApplication {
  public static void main(String[] args) {
    SpringApplication.run(IdentityApplication.class, args);
  }
}
