package dev.runnel.cli.up;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A service's runnable jar prepared for a fast start: extracted next to its libraries (Spring
 * Boot's {@code -Djarmode=tools extract}) and paired with a class-data-sharing archive.
 *
 * <p>Why: on two cores, seven JVMs start together and class loading is most of their start-up CPU.
 * Loading from nested jars costs about 40 % more CPU than from plain jars, and a dynamic CDS
 * archive (JDK 13+) takes another ~40 % off. The archive is written by the first run of the
 * extracted jar when it exits ({@code -XX:ArchiveClassesAtExit}) and mapped by every later run; the
 * JVM checks that the classpath still matches and ignores a stale archive. A rebuilt jar gets a new
 * folder.
 */
final class AppImage {
  private final Path jar;
  private final Path archive;

  private AppImage(Path jar, Path archive) {
    this.jar = jar;
    this.archive = archive;
  }

  /**
   * The image of {@code execJar} under {@code imagesDir}, extracting it on first use (a few
   * seconds) and removing images of earlier builds of the same module.
   */
  static AppImage of(String module, Path execJar, Path imagesDir) {
    try {
      long modified = Files.getLastModifiedTime(execJar).toMillis();
      String key = Long.toHexString(modified) + "-" + Long.toHexString(Files.size(execJar));
      Path moduleDir = imagesDir.resolve(module);
      Path dir = moduleDir.resolve(key);
      Path jar = dir.resolve(execJar.getFileName());
      if (!Files.isRegularFile(jar)) {
        extract(execJar, dir);
      }
      removeOthers(moduleDir, dir);
      return new AppImage(jar, dir.resolve("classes.jsa"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare " + execJar + " in " + imagesDir, e);
    }
  }

  private static void extract(Path execJar, Path dir) throws IOException {
    Path partial = dir.resolveSibling(dir.getFileName() + ".partial");
    deleteTree(partial);
    Files.createDirectories(partial.getParent());
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djarmode=tools",
                "-jar",
                execJar.toString(),
                "extract",
                "--destination",
                partial.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    try {
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException("extracting " + execJar + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while extracting " + execJar, e);
    }
    // A half-extracted folder must never look complete, so it is renamed only when done.
    Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void removeOthers(Path moduleDir, Path keep) throws IOException {
    try (Stream<Path> children = Files.list(moduleDir)) {
      for (Path other : children.filter(p -> !p.equals(keep)).toList()) {
        deleteTree(other);
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The extracted jar to run with {@code -jar}. */
  Path jar() {
    return jar;
  }

  /** Options that map the archive when a previous run wrote it, or write it at exit otherwise. */
  List<String> jvmOptions() {
    List<String> options = new ArrayList<>();
    if (Files.isRegularFile(archive)) {
      options.add("-XX:SharedArchiveFile=" + archive);
    } else {
      options.add("-XX:ArchiveClassesAtExit=" + archive);
    }
    // The dump lists every class it skips (generated accessors, failed verification) as a
    // warning; they are expected and would only bury the service's own log lines.
    options.add("-Xlog:cds=off");
    options.add("-Xlog:cds+dynamic=off");
    return options;
  }
}
