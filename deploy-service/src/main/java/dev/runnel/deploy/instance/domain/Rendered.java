package dev.runnel.deploy.instance.domain;

import java.util.List;

/**
 * What a chart rendered to: the objects to keep (in install order) and the hooks, plus both as YAML
 * text (what a revision stores and a diff compares).
 */
public record Rendered(
    List<ManifestObject> objects, List<Hook> hooks, String manifest, String hooksManifest) {
  public Rendered {
    objects = List.copyOf(objects);
    hooks = List.copyOf(hooks);
  }
}
