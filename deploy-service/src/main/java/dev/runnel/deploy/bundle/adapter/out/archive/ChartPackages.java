package dev.runnel.deploy.bundle.adapter.out.archive;

import dev.runnel.deploy.bundle.domain.InvalidBundleException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Looks into the chart package of a bundle: it must be a chart named as {@code bundle.json} says,
 * and its {@code values.schema.json} validates the values on import. Unpacking for rendering is the
 * renderer's job, with its own guards.
 */
final class ChartPackages {
  private static final int MAX_SCHEMA = 1024 * 1024;

  private ChartPackages() {}

  static String valuesSchema(byte[] chart, String name, long maxUnpacked) {
    boolean chartYaml = false;
    String schema = null;
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new TarGzBundleCodec.Bounded(
                new GzipCompressorInputStream(new ByteArrayInputStream(chart)), maxUnpacked))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.getName().equals(name + "/Chart.yaml")) {
          chartYaml = true;
        } else if (entry.getName().equals(name + "/values.schema.json") && entry.isFile()) {
          if (entry.getSize() > MAX_SCHEMA) {
            throw new InvalidBundleException("the chart's values.schema.json is larger than 1 MiB");
          }
          schema = new String(tar.readNBytes(MAX_SCHEMA), StandardCharsets.UTF_8);
        }
      }
    } catch (TarGzBundleCodec.TooLarge e) {
      throw new InvalidBundleException(
          "the chart package unpacks to more than " + maxUnpacked + " bytes");
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidBundleException("the chart package is not a readable .tgz");
    }
    if (!chartYaml) {
      throw new InvalidBundleException(
          "the chart package has no "
              + name
              + "/Chart.yaml; it is not the chart bundle.json names");
    }
    return schema;
  }
}
