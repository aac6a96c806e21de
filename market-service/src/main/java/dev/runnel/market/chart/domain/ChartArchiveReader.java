package dev.runnel.market.chart.domain;

import dev.runnel.market.chart.domain.InvalidChartException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads a Helm chart package (a gzip-compressed tar) entirely in memory, within {@link
 * ChartLimits}, refusing anything a safe unpacker would have to guess about: paths outside one
 * top-level folder, links, devices, duplicates. Nothing is written to disk.
 */
public final class ChartArchiveReader {
  private static final int TAR_BLOCK = 512;
  private final ChartLimits limits;

  public ChartArchiveReader(ChartLimits limits) {
    this.limits = limits;
  }

  public ChartArchive read(byte[] pkg) {
    if (pkg == null || pkg.length == 0) {
      throw new InvalidChartException(Reason.EMPTY, "The chart package is empty");
    }
    if (pkg.length < 2 || (pkg[0] & 0xff) != 0x1f || (pkg[1] & 0xff) != 0x8b) {
      throw new InvalidChartException(
          Reason.NOT_GZIP,
          "The chart package is not gzip-compressed; upload the .tgz that 'helm package' makes");
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    String folder = null;
    int entries = 0;
    long total = 0;
    // Headers and padding of the allowed entries, on top of their content: a bound on how much
    // the decompressor may produce however the archive is built.
    long rawLimit = limits.maxTotalBytes() + (long) (limits.maxEntries() + 4) * 3 * TAR_BLOCK;
    try (InputStream gzip = new GzipCompressorInputStream(new ByteArrayInputStream(pkg));
        InputStream bounded = new Bounded(gzip, rawLimit);
        TarArchiveInputStream tar = new TarArchiveInputStream(bounded)) {
      TarArchiveEntry entry;
      while ((entry = nextEntry(tar)) != null) {
        if (++entries > limits.maxEntries()) {
          throw new InvalidChartException(
              Reason.TOO_MANY_ENTRIES,
              "The chart package has more than " + limits.maxEntries() + " entries");
        }
        List<String> segments = segments(entry.getName());
        checkType(entry);
        String top = segments.get(0);
        if (folder == null) {
          folder = top;
        } else if (!folder.equals(top)) {
          throw new InvalidChartException(
              Reason.NOT_IN_ONE_FOLDER,
              "Every file of a chart package must be inside one top-level folder; found '"
                  + folder
                  + "' and '"
                  + top
                  + "'");
        }
        if (entry.isDirectory()) {
          continue;
        }
        if (segments.size() < 2) {
          throw new InvalidChartException(
              Reason.NOT_IN_ONE_FOLDER,
              "Every file of a chart package must be inside one top-level folder; '"
                  + shown(entry.getName())
                  + "' is not");
        }
        String path = String.join("/", segments.subList(1, segments.size()));
        if (entry.getSize() > limits.maxFileBytes()) {
          throw fileTooLarge(path);
        }
        byte[] content = readFile(tar, path);
        total += content.length;
        if (total > limits.maxTotalBytes()) {
          throw tooLarge();
        }
        if (files.put(path, content) != null) {
          throw new InvalidChartException(
              Reason.DUPLICATE_ENTRY, "The chart package holds '" + shown(path) + "' twice");
        }
      }
    } catch (Bounded.LimitReached e) {
      throw tooLarge();
    } catch (IOException e) {
      throw new InvalidChartException(
          Reason.NOT_TAR,
          "The chart package is gzip-compressed but not a readable tar archive ("
              + shown(String.valueOf(e.getMessage()))
              + ")");
    }
    if (entries == 0 || folder == null) {
      throw new InvalidChartException(Reason.EMPTY, "The chart package holds no files");
    }
    byte[] chartYaml = files.get("Chart.yaml");
    if (chartYaml == null) {
      throw new InvalidChartException(
          Reason.MISSING_CHART_YAML,
          "The chart package has no Chart.yaml in its folder '" + shown(folder) + "'");
    }
    return new ChartArchive(
        folder, ChartYaml.parse(new String(chartYaml, StandardCharsets.UTF_8)), files, sha256(pkg));
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws IOException {
    try {
      return tar.getNextEntry();
    } catch (IllegalArgumentException e) {
      // commons-compress reports some malformed headers (bad numbers) this way.
      throw new IOException(e.getMessage(), e);
    }
  }

  private byte[] readFile(TarArchiveInputStream tar, String path) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = tar.read(buffer)) != -1) {
      if (out.size() + (long) n > limits.maxFileBytes()) {
        throw fileTooLarge(path);
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static void checkType(TarArchiveEntry entry) {
    String name = shown(entry.getName());
    if (entry.isSymbolicLink() || entry.isLink()) {
      throw new InvalidChartException(
          Reason.LINK,
          "The chart package holds a link ('"
              + name
              + "'); charts may only hold files and folders");
    }
    if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
      throw new InvalidChartException(
          Reason.SPECIAL_FILE,
          "The chart package holds a device or pipe ('"
              + name
              + "'); charts may only hold files and folders");
    }
    if (!entry.isFile() && !entry.isDirectory()) {
      throw new InvalidChartException(
          Reason.SPECIAL_FILE,
          "The chart package holds '"
              + name
              + "', which is neither a file nor a folder; charts may only hold files and folders");
    }
  }

  /** The path's segments without {@code .} and empty ones; refuses anything that could escape. */
  static List<String> segments(String name) {
    String shown = shown(name);
    if (name.isEmpty() || name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
      throw new InvalidChartException(
          Reason.BAD_ENTRY_NAME,
          "The chart package holds an entry with an unusable name '" + shown + "'");
    }
    if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
      throw new InvalidChartException(
          Reason.ABSOLUTE_PATH,
          "The chart package holds an absolute path '"
              + shown
              + "'; every path must be relative to the chart folder");
    }
    List<String> out = new ArrayList<>();
    for (String segment : name.split("/")) {
      if (segment.equals("..")) {
        throw new InvalidChartException(
            Reason.PATH_TRAVERSAL,
            "The chart package holds a path that climbs out of its folder ('" + shown + "')");
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        out.add(segment);
      }
    }
    if (out.isEmpty()) {
      throw new InvalidChartException(
          Reason.BAD_ENTRY_NAME,
          "The chart package holds an entry with an unusable name '" + shown + "'");
    }
    return out;
  }

  private InvalidChartException fileTooLarge(String path) {
    return new InvalidChartException(
        Reason.FILE_TOO_LARGE,
        "'"
            + shown(path)
            + "' in the chart package is larger than "
            + mib(limits.maxFileBytes())
            + " when decompressed");
  }

  private InvalidChartException tooLarge() {
    return new InvalidChartException(
        Reason.TOO_LARGE,
        "The chart package is larger than " + mib(limits.maxTotalBytes()) + " when decompressed");
  }

  private static String mib(long bytes) {
    return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
  }

  /** Entry names go back to the user: printable and short. */
  private static String shown(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().limit(120).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return s.codePointCount(0, s.length()) > 120 ? b + "…" : b.toString();
  }

  /** Stops the decompressor once it has produced more than the limit. */
  private static final class Bounded extends FilterInputStream {
    private final long limit;
    private long count;

    Bounded(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    private void count(long n) {
      count += n;
      if (count > limit) {
        throw new LimitReached();
      }
    }

    static final class LimitReached extends RuntimeException {
      LimitReached() {
        super(null, null, false, false);
      }
    }
  }
}
