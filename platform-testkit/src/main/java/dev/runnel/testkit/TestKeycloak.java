package dev.runnel.testkit;

import dev.runnel.embedded.KeycloakServer;
import dev.runnel.embedded.RunnelRealm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * One real Keycloak server per test JVM (the server distribution, {@link KeycloakServer}), with the
 * {@code runnel} realm of {@link RunnelRealm} imported: its admin user, the gateway's confidential
 * client and the CLI's public client.
 *
 * <p>The distribution comes from the system property {@code runnel.keycloak.dist}; a module that
 * uses this class copies {@code org.keycloak:keycloak-quarkus-dist:tar.gz} in {@code
 * pre-integration-test} and passes the path to Failsafe, as {@code platform-embedded} does.
 * Keycloak takes about 30 s to start on JDK 17, so every test class of a JVM shares it; the home is
 * fresh per JVM (an existing realm is never re-imported) and removed on exit.
 */
public final class TestKeycloak {
  /** The gateway's redirect base URL written into the realm; tests that log in override it. */
  public static final String GATEWAY_BASE_URL_PROPERTY = "runnel.test.gateway-base-url";

  /**
   * How long to wait for Keycloak to answer (ISO-8601, default {@code PT5M}); a machine busy with
   * other builds can take longer for Keycloak's first-start build step alone.
   */
  public static final String START_TIMEOUT_PROPERTY = "runnel.test.keycloak-start-timeout";

  private static volatile TestKeycloak instance;

  private final KeycloakServer server;
  private final String masterAdmin = "bootstrap";
  private final String masterPassword = "bootstrap-" + UUID.randomUUID();
  private final String adminUsername = "admin";
  private final String adminPassword = "Admin-" + UUID.randomUUID();
  private final String gatewaySecret = "secret-" + UUID.randomUUID();

  private TestKeycloak(Path home) {
    String dist = System.getProperty("runnel.keycloak.dist");
    if (dist == null || dist.isBlank()) {
      throw new IllegalStateException(
          "system property runnel.keycloak.dist is not set: copy"
              + " org.keycloak:keycloak-quarkus-dist:tar.gz in pre-integration-test and pass its"
              + " path to Failsafe (see platform-embedded/pom.xml)");
    }
    String gatewayBaseUrl = System.getProperty(GATEWAY_BASE_URL_PROPERTY, "http://127.0.0.1:8080");
    this.server =
        KeycloakServer.start(
                Path.of(dist),
                home,
                0,
                0,
                masterAdmin,
                masterPassword,
                RunnelRealm.json(gatewayBaseUrl, gatewaySecret, adminUsername, adminPassword))
            .awaitReady(Duration.parse(System.getProperty(START_TIMEOUT_PROPERTY, "PT5M")));
  }

  /** The server of this JVM, started on first call. */
  public static TestKeycloak get() {
    TestKeycloak local = instance;
    if (local == null) {
      synchronized (TestKeycloak.class) {
        local = instance;
        if (local == null) {
          Path home = scratch();
          TestKeycloak started = new TestKeycloak(home);
          instance = started;
          local = started;
          Runtime.getRuntime()
              .addShutdownHook(
                  new Thread(
                      () -> {
                        started.server.close();
                        TempDirs.delete(home);
                      },
                      "test-keycloak-stop"));
        }
      }
    }
    return local;
  }

  private static Path scratch() {
    try {
      return Files.createTempDirectory("runnel-test-keycloak-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a directory for Keycloak", e);
    }
  }

  public KeycloakServer server() {
    return server;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return server.baseUrl();
  }

  /** The issuer of the runnel realm's tokens. */
  public String issuer() {
    return server.issuer();
  }

  /** The bootstrap admin of the master realm (for the Keycloak admin client). */
  public String masterAdminUsername() {
    return masterAdmin;
  }

  public String masterAdminPassword() {
    return masterPassword;
  }

  /** The first platform admin of the runnel realm. */
  public String adminUsername() {
    return adminUsername;
  }

  public String adminPassword() {
    return adminPassword;
  }

  /** The secret of the gateway's confidential client {@link RunnelRealm#GATEWAY_CLIENT}. */
  public String gatewayClientSecret() {
    return gatewaySecret;
  }
}
