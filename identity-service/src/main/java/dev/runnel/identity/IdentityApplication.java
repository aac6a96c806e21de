package dev.runnel.identity;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * identity-service owns teams, memberships, roles, invitations and quotas, through Keycloak's admin
 * API.
 *
 * <p>It runs now with its database, migrations, events, security and probes; its domain arrives
 * with the issues that build it.
 */
@SpringBootApplication
public class IdentityApplication {
  public static void main(String[] args) {
    SpringApplication.run(IdentityApplication.class, args);
  }
}
