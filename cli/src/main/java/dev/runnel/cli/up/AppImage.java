package dev.runnel.cli.up;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
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
 * Loading from nested jars costs about 40 % more CPU than from plain jars, and a CDS archive takes
 * another ~35 % off. The archive is a static one built from the list of classes a previous run
 * loaded ({@code -XX:DumpLoadedClassList}, written while the service runs), not a dynamic one
 * written at exit: a dynamic dump of a started service takes longer than a stop may (six of them
 * dumping at once on two cores missed every 20 s grace), so no archive was ever written. The list
 * is complete once the service is ready; {@link #writeArchive} turns it into the archive in a JVM
 * of its own, which needs no database or broker. The JVM checks that the classpath still matches
 * and ignores a stale archive. A rebuilt jar gets a new folder.
 */
final class AppImage {
  private final Path jar;
  private final Path archive;
  private final Path classList;

  private AppImage(Path jar, Path archive) {
    this.jar = jar;
    this.archive = archive;
    this.classList = archive.resolveSibling("classes.lst");
  }

  /** An image of a jar that is already in place, its archive beside it. */
  static AppImage at(Path jar) {
    return new AppImage(jar, jar.resolveSibling("classes.jsa"));
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

  /** Options that map the archive when one was written, or list the loaded classes otherwise. */
  List<String> jvmOptions() {
    List<String> options = new ArrayList<>();
    if (hasArchive()) {
      options.add("-XX:SharedArchiveFile=" + archive);
    } else {
      options.add("-XX:DumpLoadedClassList=" + classList);
    }
    // CDS lists every class it skips (generated accessors, signed jars) as a warning; they are
    // expected and would only bury the service's own log lines.
    options.add("-Xlog:cds=off");
    return options;
  }

  boolean hasArchive() {
    return Files.isRegularFile(archive);
  }

  /**
   * Writes the archive from the class list of a run that got as far as ready, with the same JVM
   * options the service runs with (the archive is only mapped when they match), at low priority so
   * that it does not slow the running platform down.
   *
   * @return false when there is no class list yet, or when the dump failed (see classes.dump.log)
   */
  boolean writeArchive(List<String> serviceJvmOptions, Duration timeout)
      throws IOException, InterruptedException {
    if (hasArchive() || !Files.isRegularFile(classList)) {
      return hasArchive();
    }
    Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
    Files.deleteIfExists(partial);
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/nice"))) {
      command.addAll(List.of("/usr/bin/nice", "-n", "10"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(serviceJvmOptions);
    command.add("-Xshare:dump");
    command.add("-XX:SharedClassListFile=" + classList);
    command.add("-XX:SharedArchiveFile=" + partial);
    command.add("-jar");
    command.add(jar.toString());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(archive.resolveSibling("classes.dump.log").toFile())
            .start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return false;
      }
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
    if (process.exitValue() != 0 || !Files.isRegularFile(partial)) {
      Files.deleteIfExists(partial);
      return false;
    }
    // Only a finished archive may ever be found under the name the next start looks for.
    Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }
}
