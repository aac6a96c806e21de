package dev.runnel.sandbox.server;

import io.fabric8.mockwebserver.http.MockResponse;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/** Responses shaped like the API server's: JSON bodies and {@code Status} objects for errors. */
public final class Responses {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Responses() {}

  public static MockResponse json(int code, Object body) {
    String text = body instanceof String s ? s : JSON.writeValueAsString(body);
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(text);
  }

  public static MockResponse text(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "text/plain")
        .setBody(body);
  }

  public static MockResponse status(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", code < 400 ? "Success" : "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    return json(code, status);
  }

  public static MockResponse notFound(String resource, String name) {
    return status(404, "NotFound", resource + " \"" + name + "\" not found");
  }

  public static ObjectMapper mapper() {
    return JSON;
  }
}
