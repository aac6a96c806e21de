package dev.runnel.deploy.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Chart packages built in the test from a chart directory of the test resources. */
public final class TestCharts {
  private TestCharts() {}

  /** The directory {@code charts/<name>} of the test resources. */
  public static Path directory(String name) {
    try {
      return Path.of(TestCharts.class.getResource("/charts/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A {@code .tgz} as {@code helm package} makes it: every file of {@code dir} under {@code name/},
   * with Chart.yaml's name and version set, and {@code files} (path in the chart → content) added
   * or replacing what the directory has.
   */
  public static byte[] pack(Path dir, String name, String version, Map<String, String> files) {
    Map<String, byte[]> entries = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        entries.put(dir.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
      }
      files.forEach((path, text) -> entries.put(path, text.getBytes(StandardCharsets.UTF_8)));
      String chartYaml =
          new String(entries.get("Chart.yaml"), StandardCharsets.UTF_8)
              .replaceAll("(?m)^name: .*$", "name: " + name)
              .replaceAll("(?m)^version: .*$", "version: " + version);
      entries.put("Chart.yaml", chartYaml.getBytes(StandardCharsets.UTF_8));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar =
          new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
          TarArchiveEntry entry = new TarArchiveEntry(name + "/" + e.getKey());
          entry.setSize(e.getValue().length);
          tar.putArchiveEntry(entry);
          tar.write(e.getValue());
          tar.closeArchiveEntry();
        }
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
