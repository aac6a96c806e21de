package dev.runnel.deploy.instance.adapter.out.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The live objects of a health wait, fed by watches opened first and by lists read after them. A
 * list's answer can be older than an event its watch already delivered (the object changed while
 * the list was on its way), so a listed object never replaces or revives what a watch reported:
 * putting it unconditionally left two installs of a burst of 200 waiting 300 s on state that had
 * long been overtaken, with no further event to come (bench/deploy-install.sh).
 */
final class LiveObjects {
  private final Map<String, GenericKubernetesResource> live = new LinkedHashMap<>();
  private final Set<String> deleted = new HashSet<>();

  /** A watch event: the newest state of the object, or its deletion. */
  synchronized void watched(boolean isDeleted, GenericKubernetesResource r) {
    String key = key(r);
    if (isDeleted) {
      live.remove(key);
      deleted.add(key);
    } else {
      live.put(key, r);
      deleted.remove(key);
    }
  }

  /** An object from a list read after the watch was opened: kept only if no event said more. */
  synchronized void listed(GenericKubernetesResource r) {
    String key = key(r);
    if (!live.containsKey(key) && !deleted.contains(key)) {
      live.put(key, r);
    }
  }

  synchronized Map<String, GenericKubernetesResource> now() {
    return Map.copyOf(live);
  }

  private static String key(GenericKubernetesResource r) {
    return r.getKind() + "/" + r.getMetadata().getName();
  }
}
