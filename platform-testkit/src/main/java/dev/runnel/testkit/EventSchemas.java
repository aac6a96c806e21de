package dev.runnel.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks an event's data against its published JSON Schema in {@code
 * docs/events/<type>.schema.json} (the folder comes from the system property {@code
 * runnel.event-schemas} that the build sets), so a producer cannot drift from the contract its
 * consumers read.
 */
public final class EventSchemas {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private EventSchemas() {}

  public static Path folder() {
    String configured = System.getProperty("runnel.event-schemas");
    if (configured == null) {
      throw new IllegalStateException(
          "system property runnel.event-schemas is not set; run the tests through Maven");
    }
    return Path.of(configured);
  }

  /** Fails with every violation listed when the data does not match the type's schema. */
  public static void assertValid(String type, String data) {
    Path file = folder().resolve(type + ".schema.json");
    if (!Files.isRegularFile(file)) {
      throw new AssertionError("no schema for event type " + type + " at " + file);
    }
    try (InputStream in = Files.newInputStream(file)) {
      Schema schema = REGISTRY.getSchema(in);
      JsonNode node = JSON.readTree(data);
      List<Error> errors = schema.validate(node);
      if (!errors.isEmpty()) {
        throw new AssertionError(
            type + " data does not match its schema: " + errors + "\ndata: " + data);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file + " or the event data", e);
    }
  }
}
