package dev.runnel.deploy.instance.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InstanceLabelsTest {
  @Test
  void workloadsArePodTemplatesAndClaimTemplatesAreLabelled() {
    UUID id = UUID.randomUUID();
    Map<String, Object> sts = new LinkedHashMap<>();
    sts.put("kind", "StatefulSet");
    sts.put("metadata", new LinkedHashMap<>(Map.of("name", "db")));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("template", new LinkedHashMap<>(Map.of("metadata", new LinkedHashMap<>())));
    spec.put(
        "volumeClaimTemplates",
        List.of(
            new LinkedHashMap<>(Map.of("metadata", new LinkedHashMap<>(Map.of("name", "data"))))));
    sts.put("spec", spec);

    InstanceLabels.apply(sts, id);

    assertThat(sts.toString())
        .contains("app.kubernetes.io/managed-by=runnel")
        .contains("runnel.dev/instance=" + id);
    @SuppressWarnings("unchecked")
    Map<String, Object> podLabels =
        (Map<String, Object>)
            ((Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("metadata"))
                .get("labels");
    assertThat(podLabels).containsEntry("runnel.dev/instance", id.toString());
    assertThat(spec.get("volumeClaimTemplates").toString()).contains("runnel.dev/instance=" + id);
  }

  @Test
  void namesMustBeDnsLabels() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> InstanceRules.name("Bad_Name"))
        .isInstanceOf(InvalidInstanceException.class)
        .hasMessageContaining("DNS-1123");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> InstanceRules.name("a".repeat(54)))
        .hasMessageContaining("at most 53");
    assertThat(InstanceRules.name("web-1")).isEqualTo("web-1");
  }
}
