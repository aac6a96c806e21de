package dev.runnel.cli.up;

import java.nio.file.Path;
import java.util.List;

/**
 * Where `runnel up` keeps things and which loopback ports it uses. Internal ports are fixed offsets
 * from a base so that URLs stay the same across restarts and a second stack can run beside the
 * first with another base.
 *
 * @param dataDir everything the stack keeps: databases, broker data, Keycloak, logs, credentials
 * @param gatewayPort the port users open (console and API)
 * @param basePort the first internal port
 */
public record Layout(Path dataDir, int gatewayPort, int basePort) {
  public static final List<String> SERVICES =
      List.of("market", "deploy", "monitor", "audit", "identity");

  public int postgresPort() {
    return basePort;
  }

  public int kafkaPort() {
    return basePort + 1;
  }

  public int kafkaControllerPort() {
    return basePort + 2;
  }

  public int keycloakPort() {
    return basePort + 3;
  }

  public int sandboxPort() {
    return basePort + 4;
  }

  public int keycloakManagementPort() {
    return basePort + 5;
  }

  public int servicePort(String service) {
    return basePort + 10 + SERVICES.indexOf(service);
  }

  public Path logs() {
    return dataDir.resolve("logs");
  }

  public Path credentials() {
    return dataDir.resolve("credentials");
  }

  public Path kubeconfig() {
    return dataDir.resolve("kubeconfig");
  }

  public Path state() {
    return dataDir.resolve("runnel.json");
  }

  public String keycloakIssuer() {
    return "http://127.0.0.1:" + keycloakPort() + "/realms/runnel";
  }

  public String gatewayUrl() {
    return "http://127.0.0.1:" + gatewayPort;
  }
}
