package dev.runnel.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
  @TempDir Path dir;

  @Test
  void theFirstStartGeneratesPrivateSecretsAndLaterStartsReuseThem() throws Exception {
    Path file = dir.resolve("credentials");
    Secrets.Loaded first = Secrets.loadOrCreate(file);
    Secrets.Loaded second = Secrets.loadOrCreate(file);

    assertThat(first.created()).isTrue();
    assertThat(second.created()).isFalse();
    assertThat(second.secrets()).isEqualTo(first.secrets());
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(first.secrets().adminPassword())
        .hasSizeGreaterThanOrEqualTo(24)
        .isNotEqualTo(first.secrets().keycloakAdminPassword())
        .isNotEqualTo(first.secrets().gatewayClientSecret());
    assertThat(first.secrets().toString()).doesNotContain(first.secrets().adminPassword());
  }

  @Test
  void aDataDirFromBeforeTheEncryptionKeyGetsOneAndKeepsItsPasswords() throws Exception {
    Path file = dir.resolve("old-credentials");
    Files.writeString(
        file,
        "admin.username=admin\nadmin.password=kept-password\n"
            + "keycloak.admin.password=kc\ngateway.client.secret=gw\n");

    Secrets upgraded = Secrets.loadOrCreate(file).secrets();
    Secrets again = Secrets.loadOrCreate(file).secrets();

    assertThat(upgraded.adminPassword()).isEqualTo("kept-password");
    assertThat(java.util.Base64.getDecoder().decode(upgraded.encryptionKey())).hasSize(32);
    assertThat(again).isEqualTo(upgraded);
    assertThat(upgraded.toString()).doesNotContain(upgraded.encryptionKey());
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void twoStacksDoNotShareAPassword() throws Exception {
    Secrets a = Secrets.loadOrCreate(dir.resolve("a")).secrets();
    Secrets b = Secrets.loadOrCreate(dir.resolve("b")).secrets();
    assertThat(a.adminPassword()).isNotEqualTo(b.adminPassword());
  }
}
