package dev.runnel.deploy.instance.adapter.out.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartArchiveTest {
  @TempDir Path dir;

  @Test
  void aChartUnpacksIntoItsDirectory() throws IOException {
    byte[] tgz =
        tgz(
            entry("demo/Chart.yaml", "name: demo\n", '0'),
            entry("demo/values.yaml", "a: 1\n", '0'));
    Path chart = ChartArchive.unpack(tgz, dir);
    assertThat(chart.getFileName().toString()).isEqualTo("demo");
    assertThat(Files.readString(chart.resolve("values.yaml"))).isEqualTo("a: 1\n");
  }

  @Test
  void pathsThatEscapeTheDirectoryAreRefused() throws IOException {
    byte[] tgz = tgz(entry("demo/Chart.yaml", "x", '0'), entry("demo/../../evil", "x", '0'));
    assertThatThrownBy(() -> ChartArchive.unpack(tgz, dir)).hasMessageContaining("unsafe path");
    assertThat(dir.getParent().resolve("evil")).doesNotExist();
  }

  @Test
  void linksAreRefused() throws IOException {
    byte[] tgz = tgz(entry("demo/Chart.yaml", "x", '0'), entry("demo/link", "", '2'));
    assertThatThrownBy(() -> ChartArchive.unpack(tgz, dir)).hasMessageContaining("link");
  }

  @Test
  void somethingThatIsNotAPackageIsRefused() {
    assertThatThrownBy(() -> ChartArchive.unpack("not gzip".getBytes(), dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a readable .tgz");
  }

  private static byte[] entry(String name, String content, char type) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    byte[] header = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(n, 0, header, 0, n.length);
    byte[] size = String.format("%011o", data.length).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(size, 0, header, 124, size.length);
    header[156] = (byte) type;
    byte[] magic = "ustar".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, header, 257, magic.length);
    int padded = (data.length + 511) / 512 * 512;
    byte[] out = new byte[512 + padded];
    System.arraycopy(header, 0, out, 0, 512);
    System.arraycopy(data, 0, out, 512, data.length);
    return out;
  }

  private static byte[] tgz(byte[]... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      for (byte[] e : entries) {
        gz.write(e);
      }
      gz.write(new byte[1024]);
    }
    return bytes.toByteArray();
  }
}
