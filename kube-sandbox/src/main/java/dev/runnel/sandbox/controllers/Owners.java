package dev.runnel.sandbox.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Owner references, selectors and template hashes, as the built-in controllers use them. */
final class Owners {

  private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";

  private Owners() {}

  static OwnerReference controllerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  static Optional<OwnerReference> controllerOf(HasMetadata object) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    if (refs == null) {
      return Optional.empty();
    }
    return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  static boolean isControlledBy(HasMetadata object, HasMetadata owner) {
    return controllerOf(object)
        .map(r -> r.getUid().equals(owner.getMetadata().getUid()))
        .orElse(false);
  }

  /**
   * A short stable hash of a pod template, spelled with the alphabet Kubernetes uses for {@code
   * pod-template-hash}, so that names look familiar.
   */
  static String hash(Object template) {
    byte[] bytes = Serialization.asJson(template).getBytes(StandardCharsets.UTF_8);
    long h = 0xcbf29ce484222325L;
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    StringBuilder out = new StringBuilder();
    long v = h & Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      out.append(SAFE.charAt((int) (v % SAFE.length())));
      v /= SAFE.length();
    }
    return out.toString();
  }

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> actual = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(actual.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        boolean has = actual.containsKey(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean ok =
            switch (r.getOperator()) {
              case "In" -> has && values.contains(actual.get(r.getKey()));
              case "NotIn" -> !has || !values.contains(actual.get(r.getKey()));
              case "Exists" -> has;
              case "DoesNotExist" -> !has;
              default -> false;
            };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }
}
