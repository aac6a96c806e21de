package dev.runnel.sandbox.apply;

import dev.runnel.sandbox.server.ResourcePath;
import dev.runnel.sandbox.server.Responses;
import dev.runnel.sandbox.server.RouteHandler;
import dev.runnel.sandbox.server.SandboxRequest;
import dev.runnel.sandbox.server.Store;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code scale} subresource of Deployments, ReplicaSets and StatefulSets ({@code kubectl
 * scale}, HPAs, fabric8's {@code scale(n)}): reads and writes {@code spec.replicas} through an
 * {@code autoscaling/v1 Scale} object.
 */
public final class ScaleHandler implements RouteHandler {

  private static final Set<String> SCALABLE = Set.of("deployments", "replicasets", "statefulsets");

  private final Store store;

  public ScaleHandler(Store store) {
    this.store = store;
  }

  @Override
  public Optional<MockResponse> handle(SandboxRequest request) {
    Optional<ResourcePath> parsed = request.resourcePath();
    if (parsed.isEmpty()
        || !parsed.get().group().equals("apps")
        || !SCALABLE.contains(parsed.get().resource())
        || !"scale".equals(parsed.get().subresource())) {
      return Optional.empty();
    }
    ResourcePath path = parsed.get();
    String objectPath = path.withoutSubresource().objectPath();
    Optional<ObjectNode> object = store.get(objectPath);
    if (object.isEmpty()) {
      return Optional.of(Responses.notFound(path.resource() + ".apps", path.name()));
    }
    ObjectNode scale = scale(object.get());
    if (request.method().equals("GET")) {
      return Optional.of(Responses.json(200, scale));
    }
    JsonNode body = Responses.mapper().readTree(request.body());
    JsonNode wanted;
    switch (request.method()) {
      case "PUT" -> wanted = body;
      case "PATCH" ->
          wanted =
              request.contentType().startsWith("application/json-patch")
                  ? JsonPatch.apply(body, scale)
                  : Patches.jsonMerge(scale, body);
      default -> {
        return Optional.of(Responses.status(405, "MethodNotAllowed", "use GET, PUT or PATCH"));
      }
    }
    JsonNode replicas = wanted.path("spec").path("replicas");
    if (!replicas.isIntegralNumber() || replicas.asInt() < 0) {
      return Optional.of(
          Responses.status(422, "Invalid", "spec.replicas: must be a non-negative integer"));
    }
    ObjectNode updated = object.get().deepCopy();
    ((ObjectNode) updated.path("spec")).put("replicas", replicas.asInt());
    MockResponse stored = store.replace(objectPath, updated);
    if (stored.code() >= 300) {
      return Optional.of(stored);
    }
    JsonNode result =
        Responses.mapper()
            .readTree(new String(stored.getBody().getBytes(), StandardCharsets.UTF_8));
    return Optional.of(Responses.json(200, scale((ObjectNode) result)));
  }

  private static ObjectNode scale(ObjectNode object) {
    ObjectNode scale = Responses.mapper().createObjectNode();
    scale.put("kind", "Scale");
    scale.put("apiVersion", "autoscaling/v1");
    ObjectNode metadata = scale.putObject("metadata");
    JsonNode source = object.path("metadata");
    for (String field :
        new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (source.has(field)) {
        metadata.set(field, source.get(field));
      }
    }
    scale.putObject("spec").put("replicas", object.path("spec").path("replicas").asInt(1));
    ObjectNode status = scale.putObject("status");
    status.put("replicas", object.path("status").path("replicas").asInt(0));
    StringJoiner selector = new StringJoiner(",");
    JsonNode labels = object.path("spec").path("selector").path("matchLabels");
    labels.propertyNames().forEach(k -> selector.add(k + "=" + labels.get(k).asString()));
    status.put("selector", selector.toString());
    return scale;
  }
}
