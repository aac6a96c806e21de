package dev.runnel.deploy.instance.domain;

import java.util.List;

/**
 * What a chart rendered to: the objects to keep (in install order) and the hooks, plus both as YAML
 * text (what a revision stores and a diff compares).
 *
 * @param crds the CustomResourceDefinitions of the chart's {@code crds/} folders (its own and its
 *     subcharts'), not templated, applied before anything else when missing from the cluster; not
 *     part of a revision (Helm never upgrades or deletes them), so empty for a stored revision
 */
public record Rendered(
    List<ManifestObject> objects,
    List<Hook> hooks,
    String manifest,
    String hooksManifest,
    List<ManifestObject> crds) {
  public Rendered {
    objects = List.copyOf(objects);
    hooks = List.copyOf(hooks);
    crds = List.copyOf(crds);
  }

  /** A rendering without CRDs (a stored revision parsed back). */
  public Rendered(
      List<ManifestObject> objects, List<Hook> hooks, String manifest, String hooksManifest) {
    this(objects, hooks, manifest, hooksManifest, List.of());
  }

  public Rendered withCrds(List<ManifestObject> crds) {
    return new Rendered(objects, hooks, manifest, hooksManifest, crds);
  }
}
