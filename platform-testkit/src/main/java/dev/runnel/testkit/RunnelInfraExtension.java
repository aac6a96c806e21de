package dev.runnel.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts this JVM's PostgreSQL, Kafka broker and token issuer before a test class, once per JVM;
 * the servers are shared by all classes and stop when the JVM exits. Use with {@link RunnelInfra}.
 */
public final class RunnelInfraExtension implements BeforeAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    RunnelInfra infra = context.getRequiredTestClass().getAnnotation(RunnelInfra.class);
    boolean postgres = infra == null || infra.postgres();
    boolean kafka = infra == null || infra.kafka();
    if (postgres) {
      TestPostgres.get();
    }
    if (kafka) {
      TestKafka.get();
    }
    TestTokens.get();
  }
}
