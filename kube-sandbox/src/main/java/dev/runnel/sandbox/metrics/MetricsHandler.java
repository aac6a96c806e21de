package dev.runnel.sandbox.metrics;

import dev.runnel.sandbox.SimulatedClock;
import dev.runnel.sandbox.server.ResourcePath;
import dev.runnel.sandbox.server.Responses;
import dev.runnel.sandbox.server.RouteHandler;
import dev.runnel.sandbox.server.SandboxRequest;
import dev.runnel.sandbox.server.Store;
import io.fabric8.mockwebserver.http.MockResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code metrics.k8s.io/v1beta1}: NodeMetrics and PodMetrics computed from what is scheduled, as
 * metrics-server would report it. Only running pods have metrics; a node's usage is its pods' plus
 * a fixed system overhead. Label selectors on metric lists are not applied.
 */
public final class MetricsHandler implements RouteHandler {

  private static final String GROUP = "metrics.k8s.io";
  private static final String API_VERSION = "metrics.k8s.io/v1beta1";
  private static final long NODE_OVERHEAD_MILLIS = 100;
  private static final long NODE_OVERHEAD_BYTES = 512L * 1024 * 1024;

  private final Store store;
  private final SimulatedClock clock;

  public MetricsHandler(Store store, SimulatedClock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public Optional<MockResponse> handle(SandboxRequest request) {
    Optional<ResourcePath> parsed = request.resourcePath();
    if (parsed.isEmpty() || !parsed.get().group().equals(GROUP)) {
      return Optional.empty();
    }
    ResourcePath path = parsed.get();
    if (!request.method().equals("GET")) {
      return Optional.of(Responses.status(405, "MethodNotAllowed", "metrics are read-only"));
    }
    Instant now = clock.now();
    return Optional.of(
        switch (path.resource()) {
          case "nodes" -> nodes(path, now);
          case "pods" -> pods(path, now);
          default -> Responses.status(404, "NotFound", "the server could not find it");
        });
  }

  private MockResponse nodes(ResourcePath path, Instant now) {
    Map<String, long[]> usage = new HashMap<>();
    for (ObjectNode pod : store.list("/api/v1/pods")) {
      String node = pod.path("spec").path("nodeName").asString("");
      if (!node.isEmpty() && isRunning(pod)) {
        long[] total = usage.computeIfAbsent(node, n -> new long[2]);
        for (JsonNode container : pod.path("spec").path("containers")) {
          String seed = seed(pod, container);
          total[0] += Usage.cpuMillis(container, seed, now);
          total[1] += Usage.memoryBytes(container, seed, now);
        }
      }
    }
    ArrayNode items = Responses.mapper().createArrayNode();
    for (ObjectNode node : store.list("/api/v1/nodes")) {
      String name = node.path("metadata").path("name").asString();
      if (path.name() != null && !path.name().equals(name)) {
        continue;
      }
      long[] total = usage.getOrDefault(name, new long[2]);
      ObjectNode metrics = item("NodeMetrics", node, now);
      metrics.set("usage", usage(total[0] + NODE_OVERHEAD_MILLIS, total[1] + NODE_OVERHEAD_BYTES));
      items.add(metrics);
    }
    return respond(path, items, "NodeMetricsList", "nodes");
  }

  private MockResponse pods(ResourcePath path, Instant now) {
    String collection =
        path.namespace() == null
            ? "/api/v1/pods"
            : "/api/v1/namespaces/" + path.namespace() + "/pods";
    ArrayNode items = Responses.mapper().createArrayNode();
    for (ObjectNode pod : store.list(collection)) {
      String name = pod.path("metadata").path("name").asString();
      if ((path.name() != null && !path.name().equals(name)) || !isRunning(pod)) {
        continue;
      }
      ObjectNode metrics = item("PodMetrics", pod, now);
      ArrayNode containers = metrics.putArray("containers");
      for (JsonNode container : pod.path("spec").path("containers")) {
        String seed = seed(pod, container);
        ObjectNode entry = containers.addObject();
        entry.put("name", container.path("name").asString());
        entry.set(
            "usage",
            usage(Usage.cpuMillis(container, seed, now), Usage.memoryBytes(container, seed, now)));
      }
      items.add(metrics);
    }
    return respond(path, items, "PodMetricsList", "pods");
  }

  private static MockResponse respond(
      ResourcePath path, ArrayNode items, String listKind, String resource) {
    if (path.name() != null) {
      return items.isEmpty()
          ? Responses.status(
              404, "NotFound", resource + ".metrics.k8s.io \"" + path.name() + "\" not found")
          : Responses.json(200, items.get(0));
    }
    ObjectNode list = Responses.mapper().createObjectNode();
    list.put("kind", listKind);
    list.put("apiVersion", API_VERSION);
    list.putObject("metadata");
    list.set("items", items);
    return Responses.json(200, list);
  }

  private static ObjectNode item(String kind, ObjectNode source, Instant now) {
    ObjectNode item = Responses.mapper().createObjectNode();
    item.put("kind", kind);
    item.put("apiVersion", API_VERSION);
    ObjectNode metadata = item.putObject("metadata");
    JsonNode sourceMeta = source.path("metadata");
    metadata.put("name", sourceMeta.path("name").asString());
    if (sourceMeta.has("namespace")) {
      metadata.put("namespace", sourceMeta.path("namespace").asString());
    }
    metadata.put("creationTimestamp", SimulatedClock.format(now));
    if (sourceMeta.has("labels")) {
      metadata.set("labels", sourceMeta.get("labels"));
    }
    item.put("timestamp", SimulatedClock.format(now));
    item.put("window", "15s");
    return item;
  }

  private static ObjectNode usage(long cpuMillis, long memoryBytes) {
    ObjectNode usage = Responses.mapper().createObjectNode();
    usage.put("cpu", cpuMillis + "m");
    usage.put("memory", (memoryBytes / 1024) + "Ki");
    return usage;
  }

  private static boolean isRunning(JsonNode pod) {
    return "Running".equals(pod.path("status").path("phase").asString());
  }

  private static String seed(JsonNode pod, JsonNode container) {
    return pod.path("metadata").path("uid").asString() + "/" + container.path("name").asString();
  }
}
