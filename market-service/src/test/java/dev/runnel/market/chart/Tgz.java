package dev.runnel.market.chart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds chart packages in memory, well-formed or hostile, for tests. */
public final class Tgz {
  private final List<Consumer<TarArchiveOutputStream>> writes = new ArrayList<>();

  public static Tgz chart(String name, String version) {
    return new Tgz()
        .file(
            name + "/Chart.yaml",
            "apiVersion: v2\nname: "
                + name
                + "\nversion: "
                + version
                + "\nappVersion: \"1.0\"\n"
                + "description: A test chart\n")
        .file(
            name + "/values.yaml",
            "replicaCount: 1\nimage:\n  repository: nginx\n  tag: \"1.27\"\n")
        .file(
            name + "/templates/configmap.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
                + "data:\n  replicas: \"{{ .Values.replicaCount }}\"\n");
  }

  public static Tgz empty() {
    return new Tgz();
  }

  public Tgz file(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8));
  }

  public Tgz file(String path, byte[] content) {
    writes.add(
        tar -> {
          TarArchiveEntry e = new TarArchiveEntry(path, true);
          e.setSize(content.length);
          put(tar, e, content);
        });
    return this;
  }

  /** A file of {@code size} zero bytes, streamed: it compresses to almost nothing. */
  public Tgz zeros(String path, long size) {
    writes.add(
        tar -> {
          TarArchiveEntry e = new TarArchiveEntry(path, true);
          e.setSize(size);
          try {
            tar.putArchiveEntry(e);
            byte[] block = new byte[64 * 1024];
            for (long left = size; left > 0; left -= block.length) {
              tar.write(block, 0, (int) Math.min(block.length, left));
            }
            tar.closeArchiveEntry();
          } catch (IOException x) {
            throw new UncheckedIOException(x);
          }
        });
    return this;
  }

  public Tgz dir(String path) {
    writes.add(
        tar -> put(tar, new TarArchiveEntry(path.endsWith("/") ? path : path + "/", true), null));
    return this;
  }

  public Tgz symlink(String path, String target) {
    writes.add(
        tar -> {
          TarArchiveEntry e = new TarArchiveEntry(path, TarConstants.LF_SYMLINK, true);
          e.setLinkName(target);
          put(tar, e, null);
        });
    return this;
  }

  public Tgz hardlink(String path, String target) {
    writes.add(
        tar -> {
          TarArchiveEntry e = new TarArchiveEntry(path, TarConstants.LF_LINK, true);
          e.setLinkName(target);
          put(tar, e, null);
        });
    return this;
  }

  public Tgz device(String path) {
    writes.add(
        tar -> {
          TarArchiveEntry e = new TarArchiveEntry(path, TarConstants.LF_CHR, true);
          e.setDevMajor(1);
          e.setDevMinor(3);
          put(tar, e, null);
        });
    return this;
  }

  public byte[] tar() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      writes.forEach(w -> w.accept(tar));
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public byte[] bytes() {
    return gzip(tar());
  }

  public static byte[] gzip(byte[] content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void put(TarArchiveOutputStream tar, TarArchiveEntry e, byte[] content) {
    try {
      tar.putArchiveEntry(e);
      if (content != null) {
        tar.write(content);
      }
      tar.closeArchiveEntry();
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
  }
}
