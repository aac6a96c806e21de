package dev.runnel.deploy.instance.adapter.out.helm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks a chart package (a gzipped tar) into a private directory, refusing what a hostile package
 * could use to escape it: absolute paths, {@code ..}, links, and sizes past the limits.
 */
final class ChartArchive {
  private static final long MAX_TOTAL = 64L * 1024 * 1024;
  private static final int MAX_ENTRIES = 10_000;

  private ChartArchive() {}

  /** Unpacks into {@code target}; returns the chart's top directory. */
  static Path unpack(byte[] tgz, Path target) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(tgz))) {
      byte[] header = new byte[512];
      long total = 0;
      int entries = 0;
      String longName = null;
      Path top = null;
      while (readFully(in, header)) {
        if (isZero(header)) {
          break;
        }
        if (++entries > MAX_ENTRIES) {
          throw new IllegalArgumentException("the chart package has too many files");
        }
        String name = longName != null ? longName : name(header);
        longName = null;
        long size = octal(header, 124, 12);
        char type = (char) header[156];
        if (size < 0 || (total += size) > MAX_TOTAL) {
          throw new IllegalArgumentException("the chart package is larger than 64 MiB unpacked");
        }
        byte[] data = in.readNBytes((int) size);
        skipPadding(in, size);
        if (type == 'L') {
          longName = cString(data);
          continue;
        }
        if (type == 'x' || type == 'g') {
          String path = paxPath(data);
          if (path != null && type == 'x') {
            longName = path;
          }
          continue;
        }
        if (type == '5') {
          continue;
        }
        if (type != '0' && type != 0 && type != '7') {
          // Links and devices have no place in a chart.
          throw new IllegalArgumentException("the chart package holds a link or device: " + name);
        }
        Path file = target.resolve(name).normalize();
        if (name.startsWith("/") || !file.startsWith(target) || name.contains("..")) {
          throw new IllegalArgumentException("the chart package holds an unsafe path: " + name);
        }
        Files.createDirectories(file.getParent());
        Files.write(file, data);
        Path first = target.resolve(target.relativize(file).getName(0));
        top = top == null ? first : top;
      }
      if (top == null || !Files.isRegularFile(top.resolve("Chart.yaml"))) {
        throw new IllegalArgumentException("the package holds no Chart.yaml at its top");
      }
      unpackNested(top.resolve("charts"));
      return top;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the chart package is not a readable .tgz: " + e.getMessage(), e);
    }
  }

  /** Helm accepts subcharts as directories; nested packages are unpacked in place. */
  private static void unpackNested(Path charts) throws IOException {
    if (!Files.isDirectory(charts)) {
      return;
    }
    try (Stream<Path> files = Files.list(charts)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".tgz")).toList()) {
        Path dir = Files.createTempDirectory(charts, "sub");
        Path sub = unpack(Files.readAllBytes(p), dir);
        Files.move(sub, charts.resolve(sub.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Files.delete(dir);
        Files.delete(p);
      }
    }
  }

  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }

  private static boolean readFully(InputStream in, byte[] buffer) throws IOException {
    int n = in.readNBytes(buffer, 0, buffer.length);
    return n == buffer.length;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void skipPadding(InputStream in, long size) throws IOException {
    long pad = (512 - (size % 512)) % 512;
    in.skipNBytes(pad);
  }

  private static String name(byte[] header) {
    String name = cString(java.util.Arrays.copyOfRange(header, 0, 100));
    String magic = new String(header, 257, 5, StandardCharsets.US_ASCII);
    if ("ustar".equals(magic)) {
      String prefix = cString(java.util.Arrays.copyOfRange(header, 345, 500));
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
    }
    return name;
  }

  private static String cString(byte[] bytes) {
    int end = 0;
    while (end < bytes.length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] header, int offset, int length) {
    String text = cString(java.util.Arrays.copyOfRange(header, offset, offset + length)).trim();
    return text.isEmpty() ? 0 : Long.parseLong(text, 8);
  }

  private static String paxPath(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    for (String record : text.split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) {
        return record.substring(space + 1 + "path=".length());
      }
    }
    return null;
  }
}
