package dev.runnel.cli.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import tools.jackson.databind.json.JsonMapper;

/**
 * The logged-in user's tokens in the user's config dir ({@code $XDG_CONFIG_HOME/runnel} or {@code
 * ~/.config/runnel}), readable by the user only.
 */
final class TokenStore {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final Path file;

  TokenStore(Path file) {
    this.file = file;
  }

  static TokenStore forUser() {
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".config");
    return new TokenStore(base.resolve("runnel").resolve("token.json"));
  }

  Path file() {
    return file;
  }

  void save(StoredToken token) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("token.json.tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, JSON.writeValueAsString(token));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  StoredToken load() throws IOException {
    return Files.exists(file) ? JSON.readValue(Files.readString(file), StoredToken.class) : null;
  }
}
