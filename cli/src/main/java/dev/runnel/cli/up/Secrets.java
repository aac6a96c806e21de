package dev.runnel.cli.up;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The secrets of a local stack, generated on first start and kept in {@code DATA_DIR/credentials}
 * (mode 0600): the platform admin's password, Keycloak's bootstrap admin, the gateway client's
 * secret. Never a fixed default.
 */
public record Secrets(
    String adminUsername,
    String adminPassword,
    String keycloakAdminPassword,
    String gatewayClientSecret) {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Reads the file, or creates it; {@code created} tells the caller to show the password. */
  public static Loaded loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(file)) {
        p.load(in);
      }
      return new Loaded(
          new Secrets(
              p.getProperty("admin.username"),
              p.getProperty("admin.password"),
              p.getProperty("keycloak.admin.password"),
              p.getProperty("gateway.client.secret")),
          false);
    }
    Secrets secrets = new Secrets("admin", generate(), generate(), generate());
    Properties p = new Properties();
    p.setProperty("admin.username", secrets.adminUsername());
    p.setProperty("admin.password", secrets.adminPassword());
    p.setProperty("keycloak.admin.username", "keycloak-admin");
    p.setProperty("keycloak.admin.password", secrets.keycloakAdminPassword());
    p.setProperty("gateway.client.secret", secrets.gatewayClientSecret());
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (Writer out = Files.newBufferedWriter(file, StandardOpenOption.TRUNCATE_EXISTING)) {
      p.store(out, "Runnel local stack credentials; keep this file private");
    }
    return new Loaded(secrets, true);
  }

  /** 144 random bits, URL-safe, long enough for Keycloak's password policy. */
  static String generate() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "Secrets[admin=" + adminUsername + ", passwords hidden]";
  }

  /** Secrets and whether they were generated just now. */
  public record Loaded(Secrets secrets, boolean created) {}
}
