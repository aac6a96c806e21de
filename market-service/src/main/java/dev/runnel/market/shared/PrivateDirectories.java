package dev.runnel.market.shared;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Temporary directories only this process's user can read: downloaded indexes, served files. */
public final class PrivateDirectories {
  private PrivateDirectories() {}

  public static Path create(String prefix) throws IOException {
    try {
      return Files.createTempDirectory(
          prefix,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): the user's temp directory is already private.
      return Files.createTempDirectory(prefix);
    }
  }
}
