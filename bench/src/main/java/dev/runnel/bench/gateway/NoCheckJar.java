package dev.runnel.bench.gateway;

import dev.runnel.bench.gateway.nocheck.NoTokenCheckAtTheGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Writes the jar that turns the gateway's token check off for the {@code nocheck} variant: {@link
 * NoTokenCheckAtTheGateway} and an auto-configuration imports file naming it, nothing else, so the
 * gateway it is added to differs from the shipped one by that one security chain.
 */
final class NoCheckJar {
  private static final String IMPORTS =
      "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";

  private NoCheckJar() {}

  static Path write(Path dir) {
    Class<?> type = NoTokenCheckAtTheGateway.class;
    String classFile = type.getName().replace('.', '/') + ".class";
    Path jar = dir.resolve("bench-nocheck.jar");
    try (InputStream bytes = type.getClassLoader().getResourceAsStream(classFile)) {
      if (bytes == null) {
        throw new IllegalStateException(classFile + " is not on the driver's classpath");
      }
      Files.createDirectories(dir);
      try (OutputStream file = Files.newOutputStream(jar);
          JarOutputStream out = new JarOutputStream(file)) {
        out.putNextEntry(new JarEntry(classFile));
        bytes.transferTo(out);
        out.closeEntry();
        out.putNextEntry(new JarEntry(IMPORTS));
        out.write((type.getName() + "\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + jar, e);
    }
  }
}
