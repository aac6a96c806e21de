package dev.runnel.deploy.observe.domain;

import java.util.List;

/**
 * A pod of an instance and the containers whose logs can be read.
 *
 * @param defaultContainer the container read when none is named: the pod's {@code
 *     kubectl.kubernetes.io/default-container} annotation, else its first container
 */
public record PodContainers(String name, List<String> containers, String defaultContainer) {
  public PodContainers {
    containers = List.copyOf(containers);
  }
}
