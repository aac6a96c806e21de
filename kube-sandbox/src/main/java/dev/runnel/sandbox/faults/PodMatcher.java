package dev.runnel.sandbox.faults;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Objects;

/** Selects the pods a fault applies to: by container image or by a label. */
@FunctionalInterface
public interface PodMatcher {

  boolean matches(Pod pod);

  /** Pods with a container whose image equals {@code image} or starts with it plus a tag. */
  static PodMatcher image(String image) {
    Objects.requireNonNull(image, "image");
    return pod ->
        pod.getSpec().getContainers().stream()
            .map(Container::getImage)
            .filter(Objects::nonNull)
            .anyMatch(
                i -> i.equals(image) || i.startsWith(image + ":") || i.startsWith(image + "@"));
  }

  /** Pods carrying the label {@code key=value}. */
  static PodMatcher label(String key, String value) {
    return pod -> {
      Map<String, String> labels = pod.getMetadata().getLabels();
      return labels != null && value.equals(labels.get(key));
    };
  }
}
