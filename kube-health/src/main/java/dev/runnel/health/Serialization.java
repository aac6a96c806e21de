package dev.runnel.health;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** fabric8's serializer, which knows the model's custom types (Quantity, IntOrString, ...). */
final class Serialization {
  static final KubernetesSerialization INSTANCE = new KubernetesSerialization();

  private Serialization() {}
}
