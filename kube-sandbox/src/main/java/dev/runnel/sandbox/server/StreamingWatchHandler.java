package dev.runnel.sandbox.server;

import io.fabric8.mockwebserver.http.MockResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import tools.jackson.databind.node.ObjectNode;

/**
 * Watches over plain HTTP (kubectl, client-go) rather than WebSockets (fabric8): the mock web
 * server cannot hold a response open, so each such watch answers with the objects changed since the
 * requested resourceVersion and then ends, after a short pause when there is nothing to report.
 * Clients re-watch from the last version they saw, which turns the watch into a gentle poll.
 * Deletions are not reported this way; WebSocket watches (the fabric8 client's) see every event.
 */
public final class StreamingWatchHandler implements RouteHandler {

  private static final Duration IDLE = Duration.ofMillis(500);
  private static final Set<String> WATCH_PARAMETERS =
      Set.of(
          "watch",
          "resourceVersion",
          "resourceVersionMatch",
          "allowWatchBookmarks",
          "timeoutSeconds",
          "sendInitialEvents");

  private final Store store;

  public StreamingWatchHandler(Store store) {
    this.store = store;
  }

  @Override
  public Optional<MockResponse> handle(SandboxRequest request) {
    if (!request.method().equals("GET") || !request.flag("watch") || request.websocket()) {
      return Optional.empty();
    }
    long since = parse(request.query().get("resourceVersion"));
    StringJoiner query = new StringJoiner("&");
    for (Map.Entry<String, String> e : request.query().entrySet()) {
      if (!WATCH_PARAMETERS.contains(e.getKey())) {
        query.add(e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      }
    }
    String listPath = request.path() + (query.length() == 0 ? "" : "?" + query);
    StringBuilder events = new StringBuilder();
    for (ObjectNode item : store.list(listPath)) {
      long version = parse(item.path("metadata").path("resourceVersion").asString("0"));
      if (version > since) {
        ObjectNode event = Responses.mapper().createObjectNode();
        event.put("type", since == 0 ? "ADDED" : "MODIFIED");
        event.set("object", item);
        events.append(Responses.mapper().writeValueAsString(event)).append('\n');
      }
    }
    MockResponse response =
        new MockResponse()
            .setResponseCode(200)
            .setHeader("Content-Type", "application/json")
            .setBody(events.toString());
    if (events.length() == 0) {
      // An empty body would end the watch at once and the client would spin.
      response.setBody("\n").setBodyDelay(IDLE);
    }
    return Optional.of(response);
  }

  private static long parse(String version) {
    if (version == null || version.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(version);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
