package dev.runnel.testkit;

import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The connection settings a Runnel service needs to run against this JVM's test servers.
 *
 * <p>With Spring: {@code RunnelTestInfra.register(registry::add, "market")} in a
 * {@code @DynamicPropertySource} method. Outside Spring (a service started as a child process):
 * {@link #arguments(String)}.
 */
public final class RunnelTestInfra {
  private RunnelTestInfra() {}

  /** Registers database, Kafka and token settings for a service whose database is {@code db}. */
  public static void register(BiConsumer<String, Supplier<Object>> registry, String db) {
    TestPostgres postgres = TestPostgres.get();
    String database = postgres.database(db);
    registry.accept("spring.r2dbc.url", () -> postgres.r2dbcUrl(database));
    registry.accept("spring.r2dbc.username", postgres::username);
    registry.accept("spring.r2dbc.password", postgres::password);
    registerKafka(registry);
    registerTokens(registry);
  }

  public static void registerKafka(BiConsumer<String, Supplier<Object>> registry) {
    KafkaBroker kafka = TestKafka.get();
    registry.accept("spring.kafka.bootstrap-servers", kafka::bootstrapServers);
  }

  public static void registerTokens(BiConsumer<String, Supplier<Object>> registry) {
    TestTokens tokens = TestTokens.get();
    registry.accept("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", tokens::jwkSetUri);
    registry.accept("spring.security.oauth2.resourceserver.jwt.issuer-uri", tokens::issuer);
    // WebTestClient waits 5 s by default; a first request (springdoc, JIT) on a busy 2-core CI
    // machine can take longer, and a timeout there says nothing about the service.
    registry.accept("spring.test.webtestclient.timeout", () -> "PT60S");
  }

  /** The same settings as command-line arguments ({@code --key=value}). */
  public static java.util.List<String> arguments(String db) {
    java.util.List<String> args = new java.util.ArrayList<>();
    register((k, v) -> args.add("--" + k + "=" + v.get()), db);
    return args;
  }
}
