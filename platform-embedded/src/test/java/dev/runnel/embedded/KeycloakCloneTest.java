package dev.runnel.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory's Keycloak made from the server built ahead of the first start. */
class KeycloakCloneTest {
  @TempDir Path dir;

  private Path built() throws Exception {
    Path server = Files.createDirectories(dir.resolve("prebuilt").resolve("keycloak-26.7.3"));
    Path bin = Files.createDirectories(server.resolve("bin"));
    Files.writeString(bin.resolve("kc.sh"), "#!/bin/bash\n");
    Files.setPosixFilePermissions(
        bin.resolve("kc.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jars = Files.createDirectories(server.resolve("lib").resolve("lib").resolve("main"));
    Files.writeString(jars.resolve("keycloak-core.jar"), "jar");
    Path quarkus = Files.createDirectories(server.resolve("lib").resolve("quarkus"));
    Files.writeString(quarkus.resolve("quarkus-application.dat"), "built");
    Files.writeString(server.resolve(KeycloakBuild.MARKER), "abc\n");
    Path data = Files.createDirectories(server.resolve("data").resolve("tmp"));
    Files.writeString(data.resolve("left-by-the-build"), "x");
    return server;
  }

  @Test
  void jarsAreSharedTheRestIsCopiedAndTheBuildsDataIsLeftOut() throws Exception {
    Path built = built();
    Path home = dir.resolve("data").resolve("keycloak");

    Path server = KeycloakServer.cloneServer(built, home);

    assertThat(server).isEqualTo(home.resolve("keycloak-26.7.3"));
    Path jar = Path.of("lib", "lib", "main", "keycloak-core.jar");
    assertThat(Files.isSameFile(server.resolve(jar), built.resolve(jar))).isTrue();
    Path output = Path.of("lib", "quarkus", "quarkus-application.dat");
    assertThat(server.resolve(output)).hasContent("built");
    Files.writeString(server.resolve(output), "rebuilt");
    assertThat(built.resolve(output)).hasContent("built");
    assertThat(Files.isExecutable(server.resolve("bin").resolve("kc.sh"))).isTrue();
    assertThat(KeycloakBuild.marker(server)).isEqualTo("abc");
    assertThat(server.resolve("data")).doesNotExist();
    assertThat(home.resolve(".unpacking")).doesNotExist();
  }

  @Test
  void aServerAlreadyThereIsKept() throws Exception {
    Path built = built();
    Path home = dir.resolve("data").resolve("keycloak");
    Path first = KeycloakServer.cloneServer(built, home);
    Files.writeString(first.resolve("data-marker"), "mine");

    Path again = KeycloakServer.cloneServer(built, home);

    assertThat(again).isEqualTo(first);
    assertThat(again.resolve("data-marker")).hasContent("mine");
  }
}
