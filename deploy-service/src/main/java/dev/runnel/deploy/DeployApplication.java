package dev.runnel.deploy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * deploy-service owns clusters, instances, revisions, operations, backups, domains and access
 * rules.
 *
 * <p>It runs now with its database, migrations, events, security and probes; its domain arrives
 * with the issues that build it.
 */
@SpringBootApplication
public class DeployApplication {
  public static void main(String[] args) {
    SpringApplication.run(DeployApplication.class, args);
  }
}
