package dev.runnel.deploy.bundle.domain;

import java.util.Map;
import java.util.TreeMap;

/**
 * An exported instance: {@code bundle.json}, the user's values, the chart package it was installed
 * from, and the rendered manifests by revision number.
 *
 * @param valuesSchema the chart's {@code values.schema.json}, or null; read from the package, not
 *     stored as an entry of its own
 */
public record Bundle(
    BundleManifest manifest,
    String valuesYaml,
    byte[] chartPackage,
    String valuesSchema,
    Map<Integer, String> manifests) {
  public Bundle {
    manifests = Map.copyOf(new TreeMap<>(manifests));
  }
}
