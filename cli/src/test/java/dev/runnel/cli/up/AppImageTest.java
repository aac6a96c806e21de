package dev.runnel.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class-data archive cycle on a real JVM: list the classes a run loads, dump, map. */
class AppImageTest {
  private static final List<String> JVM = List.of("-Xmx64m", "-XX:+UseSerialGC");

  @TempDir Path dir;

  @Test
  void aRunListsItsClassesTheListBecomesAnArchiveAndTheNextRunMapsIt() throws Exception {
    AppImage image = AppImage.at(helloJar());
    assertThat(image.hasArchive()).isFalse();
    assertThat(image.jvmOptions()).anyMatch(o -> o.startsWith("-XX:DumpLoadedClassList="));
    assertThat(image.writeArchive(JVM, Duration.ofMinutes(2)))
        .as("no class list yet: nothing to write")
        .isFalse();

    assertThat(run(image, List.of())).contains("hello from the image");
    assertThat(image.writeArchive(JVM, Duration.ofMinutes(2))).isTrue();

    assertThat(image.hasArchive()).isTrue();
    assertThat(image.jvmOptions()).anyMatch(o -> o.startsWith("-XX:SharedArchiveFile="));
    assertThat(run(image, List.of("-Xlog:class+load=info")))
        .as("the application's own class comes from the archive")
        .containsPattern("demo\\.Hello source: shared objects file");
    assertThat(dir).isDirectoryNotContaining("glob:**.partial");
  }

  private String run(AppImage image, List<String> extra) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM);
    command.addAll(image.jvmOptions());
    command.addAll(extra);
    command.add("-jar");
    command.add(image.jar().toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** A jar whose main class prints a line, compiled here so the test needs no fixture. */
  private Path helloJar() throws IOException {
    Path src = Files.createDirectories(dir.resolve("src/demo"));
    Files.writeString(
        src.resolve("Hello.java"),
        "package demo; public class Hello { public static void main(String[] a) {"
            + " System.out.println(\"hello from the image\"); } }");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", classes.toString(), src.resolve("Hello.java").toString());
    assertThat(rc).isZero();
    Path image = Files.createDirectories(dir.resolve("image"));
    Path jar = image.resolve("hello.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "demo.Hello");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry("demo/Hello.class"));
      out.write(Files.readAllBytes(classes.resolve("demo/Hello.class")));
      out.closeEntry();
    }
    return jar;
  }
}
