package dev.runnel.deploy.instance.domain;

import dev.runnel.health.Health;

/**
 * One object as the cluster has it now, already assessed.
 *
 * @param health null for kinds without health (ConfigMap, Secret, ...)
 */
public record LiveObject(String apiVersion, String kind, String name, Health health) {
  public String ref() {
    return kind + "/" + name;
  }
}
