package dev.runnel.sandbox.server;

import dev.runnel.sandbox.discovery.ApiCatalog;
import dev.runnel.sandbox.discovery.ApiResource;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Optional;

/**
 * Deleting a namespace deletes what is in it. A real server first marks the namespace {@code
 * Terminating} and lets the namespace controller empty it; here both happen in the one request.
 */
public final class NamespaceDeletion implements RouteHandler {

  private final Store store;
  private final ApiCatalog catalog;

  public NamespaceDeletion(Store store, ApiCatalog catalog) {
    this.store = store;
    this.catalog = catalog;
  }

  @Override
  public Optional<MockResponse> handle(SandboxRequest request) {
    if (!request.method().equals("DELETE")) {
      return Optional.empty();
    }
    Optional<ResourcePath> path = request.resourcePath();
    if (path.isEmpty()
        || !path.get().group().isEmpty()
        || !path.get().resource().equals("namespaces")
        || path.get().name() == null
        || path.get().subresource() != null) {
      return Optional.empty();
    }
    String namespace = path.get().name();
    Optional<tools.jackson.databind.node.ObjectNode> existing = store.get(request.path());
    if (existing.isEmpty()) {
      return Optional.of(Responses.notFound("namespaces", namespace));
    }
    for (ApiResource resource : catalog.all()) {
      if (!resource.namespaced() || resource.group().equals("metrics.k8s.io")) {
        continue;
      }
      String prefix = resource.group().isEmpty() ? "/api/" : "/apis/" + resource.group() + "/";
      String collection =
          prefix + resource.version() + "/namespaces/" + namespace + "/" + resource.plural();
      store
          .list(collection)
          .forEach(
              item ->
                  store.delete(collection + "/" + item.path("metadata").path("name").asString()));
    }
    store.delete(request.path());
    return Optional.of(Responses.json(200, existing.get()));
  }
}
