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
 * secret, and the key the services encrypt held credentials with (AES-256, base64). Never a fixed
 * default.
 */
public record Secrets(
    String adminUsername,
    String adminPassword,
    String keycloakAdminPassword,
    String gatewayClientSecret,
    String encryptionKey) {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Reads the file, or creates it; {@code created} tells the caller to show the password. */
  public static Loaded loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(file)) {
        p.load(in);
      }
      String key = p.getProperty("encryption.key");
      if (key == null) {
        // A data dir from before the services held credentials: add the key, keep the rest.
        key = generateKey();
        p.setProperty("encryption.key", key);
        write(file, p);
      }
      return new Loaded(
          new Secrets(
              p.getProperty("admin.username"),
              p.getProperty("admin.password"),
              p.getProperty("keycloak.admin.password"),
              p.getProperty("gateway.client.secret"),
              key),
          false);
    }
    Secrets secrets = new Secrets("admin", generate(), generate(), generate(), generateKey());
    Properties p = new Properties();
    p.setProperty("admin.username", secrets.adminUsername());
    p.setProperty("admin.password", secrets.adminPassword());
    p.setProperty("keycloak.admin.username", "keycloak-admin");
    p.setProperty("keycloak.admin.password", secrets.keycloakAdminPassword());
    p.setProperty("gateway.client.secret", secrets.gatewayClientSecret());
    p.setProperty("encryption.key", secrets.encryptionKey());
    write(file, p);
    return new Loaded(secrets, true);
  }

  private static void write(Path file, Properties p) throws IOException {
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (Writer out = Files.newBufferedWriter(file, StandardOpenOption.TRUNCATE_EXISTING)) {
      p.store(out, "Runnel local stack credentials; keep this file private");
    }
  }

  /** 256 random bits for AES-256-GCM, base64. */
  static String generateKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
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
