package dev.runnel.market.chart;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared real-world chart packages ({@code ../shared/fixtures/helm-repo}). */
public final class Fixtures {
  private Fixtures() {}

  public static Path helmRepo() {
    Path dir =
        Path.of(System.getProperty("runnel.fixtures", "../../shared/fixtures"))
            .resolve("helm-repo");
    assumeTrue(
        Files.isDirectory(dir),
        "the shared fixtures are not at " + dir.toAbsolutePath() + " (set -Drunnel.fixtures)");
    return dir;
  }

  public static byte[] chart(String file) {
    try {
      return Files.readAllBytes(helmRepo().resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
