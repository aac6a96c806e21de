package dev.runnel.sandbox.server;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The object store: fabric8's CRUD dispatcher, called in-process. Everything the sandbox adds
 * (admission, apply, controllers' reads inside request handling) goes through here, so watches
 * registered with the CRUD dispatcher see every change.
 */
public final class Store {

  private final SandboxCrudDispatcher crud;

  public Store(SandboxCrudDispatcher crud) {
    this.crud = crud;
  }

  public MockResponse forward(RecordedRequest request) {
    if (request.method() == HttpMethod.DELETE) {
      return delete(request.getPath());
    }
    return crud.dispatch(request);
  }

  public Optional<ObjectNode> get(String path) {
    MockResponse response = crud.dispatch(request(HttpMethod.GET, path, null));
    if (response.code() != 200 || response.getBody() == null) {
      return Optional.empty();
    }
    JsonNode node = read(response);
    // A collection answers with a list, which has metadata too but no name.
    return node instanceof ObjectNode o && o.path("metadata").has("name")
        ? Optional.of(o)
        : Optional.empty();
  }

  public List<ObjectNode> list(String collectionPath) {
    MockResponse response = crud.dispatch(request(HttpMethod.GET, collectionPath, null));
    List<ObjectNode> items = new ArrayList<>();
    if (response.code() == 200 && response.getBody() != null) {
      for (JsonNode item : read(response).path("items")) {
        if (item instanceof ObjectNode o) {
          items.add(o);
        }
      }
    }
    return items;
  }

  public MockResponse create(String collectionPath, JsonNode object) {
    return crud.dispatch(request(HttpMethod.POST, collectionPath, object));
  }

  public MockResponse replace(String objectPath, JsonNode object) {
    return crud.dispatch(request(HttpMethod.PUT, objectPath, object));
  }

  /**
   * Deletes one object or, on a collection path, all objects it lists, and publishes each deletion
   * to the watches.
   */
  public MockResponse delete(String path) {
    String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    Optional<ObjectNode> single = get(bare);
    List<ObjectNode> doomed = single.map(List::of).orElseGet(() -> list(path));
    MockResponse response = crud.dispatch(request(HttpMethod.DELETE, path, null));
    if (response.code() < 300) {
      for (ObjectNode object : doomed) {
        String name = object.path("metadata").path("name").asString();
        String objectPath = single.isPresent() ? bare : bare + "/" + name;
        crud.publishDeleted(objectPath, Responses.mapper().writeValueAsString(object));
      }
      if (response.getBody() == null || response.getBody().size() == 0) {
        String body = single.map(o -> Responses.mapper().writeValueAsString(o)).orElse("");
        if (!body.isEmpty()) {
          response.setBody(body).setHeader("Content-Type", "application/json");
        }
      }
    }
    return response;
  }

  private static JsonNode read(MockResponse response) {
    return Responses.mapper()
        .readTree(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
  }

  private static RecordedRequest request(HttpMethod method, String path, JsonNode body) {
    Headers.Builder headers = Headers.builder();
    Buffer buffer = new Buffer();
    if (body != null) {
      headers.add("Content-Type", "application/json");
      buffer.writeUtf8(Responses.mapper().writeValueAsString(body));
    }
    return new RecordedRequest("HTTP/1.1", method, path, headers.build(), buffer);
  }
}
