package dev.runnel.sandbox.apply;

import dev.runnel.sandbox.discovery.ApiCatalog;
import dev.runnel.sandbox.discovery.ApiResource;
import dev.runnel.sandbox.server.ResourcePath;
import dev.runnel.sandbox.server.Responses;
import dev.runnel.sandbox.server.RouteHandler;
import dev.runnel.sandbox.server.SandboxRequest;
import dev.runnel.sandbox.server.Store;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Creates, replaces and patches objects the way the API server does: namespaces must exist,
 * admission runs on every write, and all patch types are computed here and stored as a replacement,
 * so that server-side apply (approximated as create-or-merge), strategic merge and JSON patches all
 * end in the same admitted object and the same watch event.
 */
public final class WriteHandler implements RouteHandler {

  private static final String APPLY = "application/apply-patch";
  private static final String STRATEGIC = "application/strategic-merge-patch";
  private static final String MERGE = "application/merge-patch";
  private static final String JSON_PATCH = "application/json-patch";
  private static final int MAX_REMEMBERED = 50_000;

  private final Store store;
  private final Admission admission;
  private final ApiCatalog catalog;

  /**
   * The last configuration each field manager applied to each object (by uid), so that a new apply
   * can drop what the manager stopped applying. Bounded: the oldest entries are forgotten first,
   * after which an apply only adds and changes fields, never removes them.
   */
  private final Map<String, JsonNode> lastApplied =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest) {
              return size() > MAX_REMEMBERED;
            }
          });

  public WriteHandler(Store store, Admission admission, ApiCatalog catalog) {
    this.store = store;
    this.admission = admission;
    this.catalog = catalog;
  }

  @Override
  public Optional<MockResponse> handle(SandboxRequest request) {
    Optional<ResourcePath> parsed = request.resourcePath();
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    ResourcePath path = parsed.get();
    Optional<ApiResource> resource = catalog.find(path.group(), path.version(), path.resource());
    if (resource.isEmpty()
        || (path.subresource() != null && !path.subresource().equals("status"))) {
      return Optional.empty();
    }
    try {
      return switch (request.method()) {
        case "POST" -> path.name() == null ? Optional.of(create(path, request)) : Optional.empty();
        case "PUT" ->
            path.name() != null
                ? Optional.of(replace(path, resource.get(), request))
                : Optional.empty();
        case "PATCH" ->
            path.name() != null
                ? Optional.of(patch(path, resource.get(), request))
                : Optional.empty();
        default -> Optional.empty();
      };
    } catch (JacksonException | IllegalArgumentException e) {
      return Optional.of(Responses.status(400, "BadRequest", "malformed body: " + e.getMessage()));
    }
  }

  private MockResponse create(ResourcePath path, SandboxRequest request) {
    ObjectNode object = parse(request.body());
    Optional<MockResponse> missing = missingNamespace(path);
    if (missing.isPresent()) {
      return missing.get();
    }
    admission.admit(path, object, null);
    String name = object.path("metadata").path("name").asString(null);
    if (name == null || name.isEmpty()) {
      return Responses.status(
          422, "Invalid", "metadata.name: Required value: name or generateName is required");
    }
    if (store.get(path.withName(name).objectPath()).isPresent()) {
      return Responses.status(
          409, "AlreadyExists", path.resource() + " \"" + name + "\" already exists");
    }
    return store.create(path.collectionPath(), object);
  }

  private MockResponse replace(ResourcePath path, ApiResource resource, SandboxRequest request) {
    ObjectNode object = parse(request.body());
    Optional<ObjectNode> existing = store.get(path.withoutSubresource().objectPath());
    if (existing.isEmpty()) {
      return Responses.notFound(path.resource(), path.name());
    }
    ObjectNode scoped = scope(path, resource, existing.get(), object);
    admission.admit(path, scoped, existing.get());
    return store.replace(request.path(), scoped);
  }

  /**
   * Where a resource has a status subresource, writes to the object leave its status alone and
   * writes to {@code /status} change nothing but the status, as on a real server.
   */
  private static ObjectNode scope(
      ResourcePath path, ApiResource resource, ObjectNode existing, ObjectNode incoming) {
    if (!resource.subresources().contains("status")) {
      return incoming;
    }
    if ("status".equals(path.subresource())) {
      ObjectNode result = existing.deepCopy();
      JsonNode status = incoming.get("status");
      if (status == null || status.isNull()) {
        result.remove("status");
      } else {
        result.set("status", status);
      }
      String version = incoming.path("metadata").path("resourceVersion").asString(null);
      if (version != null && result.get("metadata") instanceof ObjectNode metadata) {
        metadata.put("resourceVersion", version);
      }
      return result;
    }
    ObjectNode result = incoming.deepCopy();
    if (existing.has("status")) {
      result.set("status", existing.get("status"));
    } else {
      result.remove("status");
    }
    return result;
  }

  private MockResponse patch(ResourcePath path, ApiResource resource, SandboxRequest request) {
    String contentType = request.contentType();
    Optional<ObjectNode> existing = store.get(path.withoutSubresource().objectPath());
    if (contentType.startsWith(APPLY)) {
      return apply(path, request, existing);
    }
    if (existing.isEmpty()) {
      return Responses.notFound(path.resource(), path.name());
    }
    JsonNode patch = Responses.mapper().readTree(request.body());
    JsonNode merged;
    if (contentType.startsWith(STRATEGIC)) {
      merged = Patches.strategicMerge(existing.get(), patch);
    } else if (contentType.startsWith(MERGE)) {
      merged = Patches.jsonMerge(existing.get(), patch);
    } else if (contentType.startsWith(JSON_PATCH)) {
      try {
        merged = JsonPatch.apply(patch, existing.get());
      } catch (RuntimeException e) {
        return Responses.status(422, "Invalid", "json patch failed: " + e.getMessage());
      }
    } else {
      return Responses.status(
          415, "UnsupportedMediaType", "the body of the request was in an unknown format");
    }
    return store(
        path, request, existing.get(), scope(path, resource, existing.get(), (ObjectNode) merged));
  }

  private MockResponse apply(
      ResourcePath path, SandboxRequest request, Optional<ObjectNode> existing) {
    ObjectNode applied = parse(request.body());
    ObjectNode metadata =
        applied.get("metadata") instanceof ObjectNode m ? m : applied.putObject("metadata");
    if (!path.name().equals(metadata.path("name").asString(path.name()))) {
      return Responses.status(400, "BadRequest", "the name of the object does not match the URL");
    }
    metadata.put("name", path.name());
    String manager = request.query().getOrDefault("fieldManager", "");
    ObjectNode configuration = applied.deepCopy();
    if (existing.isEmpty()) {
      if (path.subresource() != null) {
        return Responses.notFound(path.resource(), path.name());
      }
      Optional<MockResponse> missing = missingNamespace(path);
      if (missing.isPresent()) {
        return missing.get();
      }
      admission.admit(path, applied, null);
      MockResponse created = store.create(path.collectionPath(), applied);
      remember(created, manager, configuration);
      return created.code() == 200 ? created.setResponseCode(201) : created;
    }
    if (path.subresource() != null) {
      ObjectNode merged = (ObjectNode) Patches.strategicMerge(existing.get(), statusOnly(applied));
      return store(path, request, existing.get(), merged);
    }
    JsonNode base = existing.get();
    JsonNode previous = lastApplied.get(key(existing.get(), manager));
    if (previous != null) {
      base = Patches.strategicMerge(base, Patches.removals(previous, configuration));
    }
    ObjectNode merged = (ObjectNode) Patches.strategicMerge(base, applied.without("status"));
    MockResponse stored = store(path, request, existing.get(), merged);
    remember(stored, manager, configuration);
    return stored;
  }

  private void remember(MockResponse response, String manager, ObjectNode configuration) {
    if (response.code() >= 300 || response.getBody() == null) {
      return;
    }
    JsonNode stored =
        Responses.mapper()
            .readTree(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
    lastApplied.put(key(stored, manager), configuration);
  }

  private static String key(JsonNode object, String manager) {
    return object.path("metadata").path("uid").asString() + "|" + manager;
  }

  private MockResponse store(
      ResourcePath path, SandboxRequest request, ObjectNode existing, ObjectNode merged) {
    String current = existing.path("metadata").path("resourceVersion").asString("");
    String requested = merged.path("metadata").path("resourceVersion").asString(current);
    if (!requested.equals(current)) {
      return Responses.status(
          409,
          "Conflict",
          "Operation cannot be fulfilled on "
              + path.resource()
              + " \""
              + path.name()
              + "\": the object has been modified; please apply your changes to the latest"
              + " version and try again");
    }
    admission.admit(path, merged, existing);
    return store.replace(request.path(), merged);
  }

  private static ObjectNode statusOnly(ObjectNode applied) {
    ObjectNode node = Responses.mapper().createObjectNode();
    if (applied.has("status")) {
      node.set("status", applied.get("status"));
    }
    return node;
  }

  private Optional<MockResponse> missingNamespace(ResourcePath path) {
    if (path.namespace() == null) {
      return Optional.empty();
    }
    if (store.get("/api/v1/namespaces/" + path.namespace()).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(Responses.notFound("namespaces", path.namespace()));
  }

  /** YAML is a superset of JSON, so one parser reads both apply bodies and JSON writes. */
  private static ObjectNode parse(String body) {
    JsonNode node =
        body.stripLeading().startsWith("{")
            ? Responses.mapper().readTree(body)
            : Serialization.yamlMapper().readTree(body);
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException("the body must be an object");
    }
    return object;
  }
}
