package dev.runnel.deploy.instance.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.kit.problem.Problem;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesCheckTest {
  private static final String SCHEMA =
      "{\"$schema\":\"http://json-schema.org/schema#\",\"type\":\"object\",\"properties\":{"
          + "\"replicaCount\":{\"type\":\"integer\"},"
          + "\"image\":{\"type\":\"object\",\"properties\":{\"tag\":{\"type\":\"string\"}}}}}";

  @Test
  void valuesThatFitTheSchemaPass() {
    assertThatCode(() -> ValuesCheck.validate(Map.of("replicaCount", 2), SCHEMA))
        .doesNotThrowAnyException();
    assertThatCode(() -> ValuesCheck.validate(Map.of("replicaCount", "x"), null))
        .as("no schema, nothing to check")
        .doesNotThrowAnyException();
  }

  @Test
  void aWrongValueIsNamedByItsPath() {
    assertThatThrownBy(() -> ValuesCheck.validate(Map.of("image", Map.of("tag", 5)), SCHEMA))
        .isInstanceOf(Problem.class)
        .hasMessageContaining("values.image.tag");
  }

  @Test
  void valuesRoundTripThroughYaml() {
    Map<String, Object> values = Map.of("image", Map.of("tag", "1.2"), "replicaCount", 3);
    String yaml = ValuesCheck.toYaml(values);
    assertThat(yaml).contains("replicaCount: 3");
    assertThat(ValuesCheck.fromYaml(yaml)).isEqualTo(values);
    assertThat(ValuesCheck.toYaml(Map.of())).isEmpty();
  }
}
