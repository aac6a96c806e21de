package dev.runnel.market.chart.domain;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A chart package read safely into memory: its validated metadata and its files, keyed by their
 * path inside the chart's top-level folder ({@code values.yaml}, {@code templates/x.yaml}).
 */
public final class ChartArchive {
  private final String folder;
  private final ChartMetadata metadata;
  private final Map<String, byte[]> files;
  private final String digest;

  ChartArchive(String folder, ChartMetadata metadata, Map<String, byte[]> files, String digest) {
    this.folder = folder;
    this.metadata = metadata;
    this.files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    this.digest = digest;
  }

  /** The single top-level folder every entry lives in. */
  public String folder() {
    return folder;
  }

  public ChartMetadata metadata() {
    return metadata;
  }

  /** sha256 of the package as uploaded or downloaded (lower-case hex), as Helm indexes it. */
  public String digest() {
    return digest;
  }

  public Set<String> paths() {
    return files.keySet();
  }

  /** A file's text (UTF-8), or null when the chart has no such file. */
  public String text(String path) {
    byte[] bytes = files.get(path);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
