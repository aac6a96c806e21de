package dev.runnel.deploy.instance.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.runnel.kit.problem.Problem;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * User values: checked against the chart's values.schema.json (errors name the field), and written
 * as the YAML Helm reads and a revision stores.
 */
public final class ValuesCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);

  private ValuesCheck() {}

  /** Throws a problem naming every field that breaks the schema (null schema: nothing to check). */
  public static void validate(Map<String, Object> values, String valuesSchema) {
    if (valuesSchema == null || valuesSchema.isBlank()) {
      return;
    }
    Schema schema;
    try {
      JsonNode schemaNode = JSON.readTree(valuesSchema);
      if (schemaNode instanceof ObjectNode o) {
        // Charts often declare "$schema": "http://json-schema.org/schema#", which no validator
        // knows; the keywords they use are draft-07's.
        o.remove("$schema");
      }
      schema = SCHEMAS.getSchema(schemaNode);
    } catch (Exception e) {
      throw Problem.unavailable(
          "The chart's values.schema.json cannot be read, so values cannot be checked: "
              + e.getMessage());
    }
    List<Error> errors = schema.validate(JSON.valueToTree(values == null ? Map.of() : values));
    if (errors.isEmpty()) {
      return;
    }
    Error first = errors.get(0);
    String field = fieldOf(first);
    Problem problem =
        Problem.invalid(
            "values." + field,
            first.getMessage()
                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
    problem
        .getBody()
        .setProperty(
            "errors",
            errors.stream()
                .map(e -> Map.of("field", "values." + fieldOf(e), "message", e.getMessage()))
                .collect(Collectors.toList()));
    throw problem;
  }

  private static String fieldOf(Error e) {
    String path = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
    // The validator names places as JSON pointers (/image/tag) or paths ($.image.tag).
    path = path.replaceFirst("^\\$\\.?", "").replaceFirst("^/", "").replace('/', '.');
    if (e.getProperty() != null && !path.endsWith(e.getProperty())) {
      path = path.isEmpty() ? e.getProperty() : path + "." + e.getProperty();
    }
    return path.isEmpty() ? "(root)" : path;
  }

  public static String toYaml(Map<String, Object> values) {
    if (values == null || values.isEmpty()) {
      return "";
    }
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    return new Yaml(options).dump(values);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> fromYaml(String yaml) {
    if (yaml == null || yaml.isBlank()) {
      return Map.of();
    }
    Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    return loaded instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
