package dev.runnel.sandbox.discovery;

import dev.runnel.sandbox.server.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every resource the sandbox knows: the built-in ones plus whatever CustomResourceDefinitions are
 * stored right now. CRDs are read from the store on each lookup, so a created CRD shows up in
 * discovery at once and a deleted one disappears.
 */
public final class ApiCatalog {

  static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  private final List<ApiResource> builtin = BuiltinResources.all();
  private final Store store;

  public ApiCatalog(Store store) {
    this.store = store;
  }

  public List<ApiResource> all() {
    List<ApiResource> all = new ArrayList<>(builtin);
    all.addAll(customResources());
    return all;
  }

  public Optional<ApiResource> find(String group, String version, String plural) {
    return all().stream()
        .filter(
            r ->
                r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
        .findFirst();
  }

  private List<ApiResource> customResources() {
    List<ApiResource> result = new ArrayList<>();
    for (ObjectNode crd : store.list(CRD_PATH)) {
      JsonNode spec = crd.path("spec");
      JsonNode names = spec.path("names");
      boolean namespaced = !"Cluster".equals(spec.path("scope").asString("Namespaced"));
      List<String> shortNames = new ArrayList<>();
      names.path("shortNames").forEach(n -> shortNames.add(n.asString()));
      for (JsonNode version : spec.path("versions")) {
        if (!version.path("served").asBoolean(true)) {
          continue;
        }
        List<String> subresources = new ArrayList<>();
        version.path("subresources").propertyNames().forEach(subresources::add);
        result.add(
            new ApiResource(
                spec.path("group").asString(),
                version.path("name").asString(),
                names.path("plural").asString(),
                names.path("kind").asString(),
                namespaced,
                List.copyOf(shortNames),
                ApiResource.ALL_VERBS,
                List.copyOf(subresources)));
      }
    }
    return result;
  }
}
