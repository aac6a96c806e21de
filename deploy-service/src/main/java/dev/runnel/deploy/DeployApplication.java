package dev.runnel.deploy;

import dev.runnel.deploy.config.DeployProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * deploy-service owns clusters, instances, revisions and operations: it renders charts with Helm,
 * applies them to Kubernetes with server-side apply and follows them to health.
 */
@SpringBootApplication
@EnableConfigurationProperties(DeployProperties.class)
public class DeployApplication {
  public static void main(String[] args) {
    SpringApplication.run(DeployApplication.class, args);
  }
}
