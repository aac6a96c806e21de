package dev.runnel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/events/ is the contract integrators read: every schema must be named for its type, be listed
 * in docs/events.md and in the AsyncAPI document, and be a schema the validator accepts.
 */
class EventCatalogTest {
  private static List<Path> schemas() throws IOException {
    try (Stream<Path> files = Files.list(EventSchemas.folder())) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".schema.json"))
          .sorted()
          .toList();
    }
  }

  @Test
  void everySchemaIsDocumentedAndListedInAsyncApi() throws IOException {
    String asyncApi = Files.readString(EventSchemas.folder().resolve("asyncapi.yaml"));
    String guide = Files.readString(EventSchemas.folder().resolveSibling("events.md"));
    List<Path> schemas = schemas();
    assertThat(schemas).isNotEmpty();
    for (Path schema : schemas) {
      String file = schema.getFileName().toString();
      String type = file.substring(0, file.length() - ".schema.json".length());
      assertThat(type).matches("runnel\\.[a-z]+\\.[a-z-]+\\.[a-z-]+\\.v[1-9][0-9]*");
      assertThat(Files.readString(schema))
          .contains("\"$id\": \"https://runnel.dev/events/" + file + "\"");
      assertThat(asyncApi)
          .as("asyncapi.yaml lists %s", type)
          .contains("name: " + type)
          .contains("./" + file);
      assertThat(guide).as("events.md lists %s", type).contains("`" + type + "`");
    }
  }

  @Test
  void theValidatorRejectsDataThatBreaksASchema() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> EventSchemas.assertValid("runnel.market.category.created.v1", "{\"id\": 7}"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("does not match its schema");
  }
}
