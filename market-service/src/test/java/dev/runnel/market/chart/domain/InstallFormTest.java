package dev.runnel.market.chart.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstallFormTest {
  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String text) {
    return (Map<String, Object>) SafeYaml.load(text);
  }

  private static FormField field(List<FormField> fields, String path) {
    for (FormField f : fields) {
      if (f.path().equals(path)) {
        return f;
      }
      FormField nested = f.fields().isEmpty() ? null : field(f.fields(), path);
      if (nested != null) {
        return nested;
      }
    }
    return null;
  }

  @Test
  void aSchemaGivesTypesConstraintsRequiredAndNesting() {
    // JSON is YAML: the schema is written here as JSON and read as YAML for brevity.
    Map<String, Object> schema =
        yaml(
            "{\"type\":\"object\",\"required\":[\"mode\"],\"properties\":{"
                + "\"mode\":{\"type\":\"string\",\"enum\":[\"a\",\"b\"],\"default\":\"a\",\"description\":\"How\"},"
                + "\"replicas\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":9},"
                + "\"name\":{\"type\":[\"string\",\"null\"],\"pattern\":\"^[a-z]+$\",\"maxLength\":20},"
                + "\"db\":{\"$ref\":\"#/definitions/db\"},"
                + "\"hosts\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
                + "\"definitions\":{\"db\":{\"type\":\"object\",\"required\":[\"host\"],"
                + "\"properties\":{\"host\":{\"type\":\"string\"},\"port\":{\"type\":\"integer\"}}}}}");
    Map<String, Object> values = yaml("replicas: 3\ndb:\n  port: 5432\n");
    InstallForm form = InstallForm.of(schema, values);
    assertThat(form.source()).isEqualTo("schema");
    FormField mode = field(form.fields(), "mode");
    assertThat(mode.type()).isEqualTo("string");
    assertThat(mode.required()).isTrue();
    assertThat(mode.enumValues()).containsExactly("a", "b");
    assertThat(mode.defaultValue()).isEqualTo("a");
    assertThat(mode.description()).isEqualTo("How");
    FormField replicas = field(form.fields(), "replicas");
    assertThat(replicas.minimum()).isEqualTo(1);
    assertThat(replicas.maximum()).isEqualTo(9);
    assertThat(replicas.defaultValue()).as("from values.yaml").isEqualTo(3);
    assertThat(replicas.required()).isFalse();
    FormField name = field(form.fields(), "name");
    assertThat(name.type()).isEqualTo("string");
    assertThat(name.pattern()).isEqualTo("^[a-z]+$");
    assertThat(name.maxLength()).isEqualTo(20);
    assertThat(field(form.fields(), "db").type()).isEqualTo("object");
    assertThat(field(form.fields(), "db.host").required()).isTrue();
    assertThat(field(form.fields(), "db.port").defaultValue()).isEqualTo(5432);
    FormField hosts = field(form.fields(), "hosts");
    assertThat(hosts.type()).isEqualTo("array");
    assertThat(hosts.items()).isEqualTo("string");
  }

  @Test
  void withoutASchemaTypesAreInferredFromTheValues() {
    InstallForm form =
        InstallForm.of(
            null,
            yaml(
                "name: web\nreplicas: 2\nratio: 0.5\nenabled: true\nempty:\nports: [80, 443]\n"
                    + "image:\n  tag: '1.0'\npodLabels:\n  app.kubernetes.io/name: web\n"));
    assertThat(form.source()).isEqualTo("values");
    assertThat(form.fields())
        .extracting(FormField::path, FormField::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("name", "string"),
            org.assertj.core.groups.Tuple.tuple("replicas", "integer"),
            org.assertj.core.groups.Tuple.tuple("ratio", "number"),
            org.assertj.core.groups.Tuple.tuple("enabled", "boolean"),
            org.assertj.core.groups.Tuple.tuple("empty", "string"),
            org.assertj.core.groups.Tuple.tuple("ports", "array"),
            org.assertj.core.groups.Tuple.tuple("image", "object"),
            org.assertj.core.groups.Tuple.tuple("podLabels", "object"));
    assertThat(field(form.fields(), "ports").items()).isEqualTo("integer");
    assertThat(field(form.fields(), "image.tag").defaultValue()).isEqualTo("1.0");
    assertThat(field(form.fields(), "podLabels[\"app.kubernetes.io/name\"]")).isNotNull();
  }

  @Test
  void aChartWithNeitherHasAnEmptyForm() {
    assertThat(InstallForm.of(null, null)).isEqualTo(new InstallForm("none", List.of()));
  }

  @Test
  void aSelfReferencingOrHugeSchemaIsBounded() {
    Map<String, Object> loop =
        yaml(
            "{\"$ref\":\"#/definitions/n\",\"definitions\":{\"n\":{\"type\":\"object\","
                + "\"properties\":{\"next\":{\"$ref\":\"#/definitions/n\"}}}}}");
    InstallForm form = InstallForm.of(loop, null);
    int depth = 0;
    List<FormField> level = form.fields();
    while (!level.isEmpty()) {
      depth++;
      level = level.get(0).fields();
    }
    assertThat(depth).isBetween(1, InstallForm.MAX_DEPTH + 2);

    Map<String, Object> wide = new LinkedHashMap<>();
    for (int i = 0; i < 20_000; i++) {
      wide.put("k" + i, i);
    }
    assertThat(InstallForm.of(null, wide).fields()).hasSize(InstallForm.MAX_FIELDS);
  }
}
