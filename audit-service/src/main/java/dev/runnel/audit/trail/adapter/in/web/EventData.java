package dev.runnel.audit.trail.adapter.in.web;

import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Shows an event's stored data as JSON in responses. The trail stores data as received, so it is
 * usually JSON; data that is not (another content type, a producer's bug) is shown as a JSON string
 * rather than hidden, and no data as null.
 */
@Component
class EventData {
  private final ObjectReader reader;

  EventData(JsonMapper json) {
    // Exact decimals and no silently dropped trailing text: the response shows what was stored.
    this.reader =
        json.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  JsonNode toJson(String data) {
    if (data.isBlank()) {
      return JsonNodeFactory.instance.nullNode();
    }
    try {
      return reader.readTree(data);
    } catch (JacksonException notJson) {
      return JsonNodeFactory.instance.stringNode(data);
    }
  }
}
