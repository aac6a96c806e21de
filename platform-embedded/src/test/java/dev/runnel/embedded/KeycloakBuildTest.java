package dev.runnel.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a server counts as built: the fingerprint of its build. */
class KeycloakBuildTest {
  @TempDir Path dir;

  private Path server() throws Exception {
    Path server = Files.createDirectories(dir.resolve("keycloak-26.7.3"));
    Files.writeString(server.resolve("version.txt"), "Keycloak - Version 26.7.3");
    Files.createDirectories(server.resolve("conf"));
    Files.writeString(server.resolve("conf").resolve("keycloak.conf"), "# defaults\n");
    Files.createDirectories(server.resolve("providers"));
    return server;
  }

  private static String java() {
    return System.getProperty("java.home");
  }

  @Test
  void anotherOptionSetIsAnotherBuild() throws Exception {
    Path server = server();
    assertThat(KeycloakBuild.fingerprint(server, java(), List.of("--db=dev-file")))
        .isEqualTo(KeycloakBuild.fingerprint(server, java(), List.of("--db=dev-file")))
        .isNotEqualTo(KeycloakBuild.fingerprint(server, java(), List.of("--db=postgres")))
        .isNotEqualTo(
            KeycloakBuild.fingerprint(
                server, java(), List.of("--db=dev-file", "--features=preview")));
  }

  @Test
  void anotherVersionConfigurationOrProviderIsAnotherBuild() throws Exception {
    Path server = server();
    String before = KeycloakBuild.fingerprint(server, java());
    Files.writeString(server.resolve("providers").resolve("extra.jar"), "jar");
    String withProvider = KeycloakBuild.fingerprint(server, java());
    Files.writeString(server.resolve("conf").resolve("keycloak.conf"), "db=postgres\n");
    String withConf = KeycloakBuild.fingerprint(server, java());
    Files.writeString(server.resolve("version.txt"), "Keycloak - Version 26.8.0");
    String withVersion = KeycloakBuild.fingerprint(server, java());
    assertThat(List.of(before, withProvider, withConf, withVersion)).doesNotHaveDuplicates();
  }

  @Test
  void aServerWithoutItsMarkerIsNotBuilt() throws Exception {
    Path server = server();
    assertThat(KeycloakBuild.marker(server)).isNull();
    Files.writeString(server.resolve(KeycloakBuild.MARKER + ".partial"), "abc\n");
    assertThat(KeycloakBuild.marker(server)).isNull();
    Files.writeString(server.resolve(KeycloakBuild.MARKER), "abc\n");
    assertThat(KeycloakBuild.marker(server)).isEqualTo("abc");
  }
}
