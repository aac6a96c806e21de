package dev.runnel.sandbox.server;

import io.fabric8.mockwebserver.http.MockResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pod eviction subresource ({@code kubectl drain} uses it): refused with 429 while a
 * PodDisruptionBudget covering the pod allows no disruption, otherwise the pod is deleted and its
 * controller replaces it. The budget is computed from pod readiness at the time of the request,
 * where a real server reads the PDB controller's {@code disruptionsAllowed}.
 */
public final class EvictionHandler implements RouteHandler {

  private final Store store;

  public EvictionHandler(Store store) {
    this.store = store;
  }

  @Override
  public Optional<MockResponse> handle(SandboxRequest request) {
    Optional<ResourcePath> parsed = request.resourcePath();
    if (!request.method().equals("POST")
        || parsed.isEmpty()
        || !parsed.get().group().isEmpty()
        || !parsed.get().resource().equals("pods")
        || !"eviction".equals(parsed.get().subresource())) {
      return Optional.empty();
    }
    ResourcePath path = parsed.get();
    Optional<ObjectNode> pod = store.get(path.withoutSubresource().objectPath());
    if (pod.isEmpty()) {
      return Optional.of(Responses.notFound("pods", path.name()));
    }
    Map<String, String> labels = labels(pod.get());
    List<ObjectNode> budgets =
        store.list("/apis/policy/v1/namespaces/" + path.namespace() + "/poddisruptionbudgets");
    for (ObjectNode budget : budgets) {
      JsonNode selector = budget.path("spec").path("selector");
      if (!Selectors.matches(selector, labels)) {
        continue;
      }
      if (!allowsDisruption(budget, path.namespace(), selector)) {
        return Optional.of(
            Responses.status(
                429,
                "TooManyRequests",
                "Cannot evict pod as it would violate the pod's disruption budget."));
      }
    }
    store.delete(path.withoutSubresource().objectPath());
    return Optional.of(Responses.status(201, "", "evicted"));
  }

  private boolean allowsDisruption(ObjectNode budget, String namespace, JsonNode selector) {
    int total = 0;
    int healthy = 0;
    for (ObjectNode pod : store.list("/api/v1/namespaces/" + namespace + "/pods")) {
      if (Selectors.matches(selector, labels(pod))) {
        total++;
        if (isReady(pod)) {
          healthy++;
        }
      }
    }
    JsonNode spec = budget.path("spec");
    if (spec.has("minAvailable")) {
      return healthy - 1 >= resolve(spec.get("minAvailable"), total, true);
    }
    if (spec.has("maxUnavailable")) {
      return (total - healthy) + 1 <= resolve(spec.get("maxUnavailable"), total, false);
    }
    return true;
  }

  /** Percentages round up for minAvailable and down for maxUnavailable, as Kubernetes does. */
  private static int resolve(JsonNode value, int total, boolean roundUp) {
    if (value.isNumber()) {
      return value.asInt();
    }
    String text = value.asString();
    if (text.endsWith("%")) {
      double percent = Double.parseDouble(text.substring(0, text.length() - 1)) * total / 100.0;
      return (int) (roundUp ? Math.ceil(percent) : Math.floor(percent));
    }
    return Integer.parseInt(text);
  }

  static boolean isReady(JsonNode pod) {
    for (JsonNode condition : pod.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asString())) {
        return "True".equals(condition.path("status").asString());
      }
    }
    return false;
  }

  static Map<String, String> labels(JsonNode object) {
    Map<String, String> labels = new HashMap<>();
    JsonNode node = object.path("metadata").path("labels");
    node.propertyNames().forEach(k -> labels.put(k, node.get(k).asString()));
    return labels;
  }
}
