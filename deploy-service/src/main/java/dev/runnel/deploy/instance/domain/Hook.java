package dev.runnel.deploy.instance.domain;

import java.util.Set;

/**
 * A Helm hook: an object run at a phase rather than kept.
 *
 * @param phases Helm's names: {@code pre-install}, {@code post-upgrade}, ...
 * @param deletePolicies {@code before-hook-creation} (default), {@code hook-succeeded}, {@code
 *     hook-failed}
 */
public record Hook(
    ManifestObject object, Set<String> phases, int weight, Set<String> deletePolicies) {
  public Hook {
    phases = Set.copyOf(phases);
    deletePolicies =
        deletePolicies == null || deletePolicies.isEmpty()
            ? Set.of("before-hook-creation")
            : Set.copyOf(deletePolicies);
  }

  public boolean runsAt(String phase) {
    return phases.contains(phase);
  }
}
