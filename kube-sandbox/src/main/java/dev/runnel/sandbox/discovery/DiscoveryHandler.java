package dev.runnel.sandbox.discovery;

import dev.runnel.sandbox.server.Responses;
import dev.runnel.sandbox.server.RouteHandler;
import dev.runnel.sandbox.server.SandboxRequest;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves the legacy (non-aggregated) discovery documents: {@code /api}, {@code /api/v1}, {@code
 * /apis}, {@code /apis/<group>} and {@code /apis/<group>/<version>}. Clients that ask for
 * aggregated discovery get these too and fall back, as they do with older servers.
 */
public final class DiscoveryHandler implements RouteHandler {

  private final ApiCatalog catalog;
  private final Supplier<String> serverAddress;

  public DiscoveryHandler(ApiCatalog catalog, Supplier<String> serverAddress) {
    this.catalog = catalog;
    this.serverAddress = serverAddress;
  }

  @Override
  public Optional<MockResponse> handle(SandboxRequest request) {
    if (!request.method().equals("GET") || request.flag("watch")) {
      return Optional.empty();
    }
    String[] parts = request.path().substring(1).split("/");
    if (request.path().equals("/api")) {
      ObjectNode versions = object("APIVersions", null);
      versions.putArray("versions").add("v1");
      ObjectNode address = versions.putArray("serverAddressByClientCIDRs").addObject();
      address.put("clientCIDR", "0.0.0.0/0");
      address.put("serverAddress", serverAddress.get());
      return Optional.of(Responses.json(200, versions));
    }
    if (request.path().equals("/api/v1")) {
      return Optional.of(resourceList("", "v1"));
    }
    if (request.path().equals("/apis")) {
      ObjectNode list = object("APIGroupList", "v1");
      ArrayNode groups = list.putArray("groups");
      groupVersions().forEach((group, versions) -> groups.add(group(group, versions)));
      return Optional.of(Responses.json(200, list));
    }
    if (parts.length == 2 && parts[0].equals("apis")) {
      List<String> versions = groupVersions().get(parts[1]);
      if (versions == null) {
        return Optional.of(Responses.status(404, "NotFound", "the server could not find it"));
      }
      ObjectNode group = group(parts[1], versions);
      group.put("kind", "APIGroup");
      group.put("apiVersion", "v1");
      return Optional.of(Responses.json(200, group));
    }
    if (parts.length == 3 && parts[0].equals("apis")) {
      return Optional.of(resourceList(parts[1], parts[2]));
    }
    return Optional.empty();
  }

  private MockResponse resourceList(String group, String version) {
    List<ApiResource> resources =
        catalog.all().stream()
            .filter(r -> r.group().equals(group) && r.version().equals(version))
            .toList();
    if (resources.isEmpty()) {
      return Responses.status(404, "NotFound", "the server could not find the requested resource");
    }
    ObjectNode list = object("APIResourceList", "v1");
    list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode items = list.putArray("resources");
    for (ApiResource r : resources) {
      ObjectNode item = items.addObject();
      item.put("name", r.plural());
      item.put("singularName", r.singular());
      item.put("namespaced", r.namespaced());
      item.put("kind", r.kind());
      ArrayNode verbs = item.putArray("verbs");
      r.verbs().forEach(verbs::add);
      if (!r.shortNames().isEmpty()) {
        ArrayNode shortNames = item.putArray("shortNames");
        r.shortNames().forEach(shortNames::add);
      }
      for (String sub : r.subresources()) {
        ObjectNode subItem = items.addObject();
        subItem.put("name", r.plural() + "/" + sub);
        subItem.put("singularName", "");
        subItem.put("namespaced", r.namespaced());
        subItem.put("kind", subresourceKind(r, sub));
        ArrayNode subVerbs = subItem.putArray("verbs");
        subresourceVerbs(sub).forEach(subVerbs::add);
      }
    }
    return Responses.json(200, list);
  }

  private static String subresourceKind(ApiResource r, String sub) {
    return switch (sub) {
      case "scale" -> "Scale";
      case "eviction" -> "Eviction";
      case "binding" -> "Binding";
      case "log" -> "Pod";
      default -> r.kind();
    };
  }

  private static List<String> subresourceVerbs(String sub) {
    return switch (sub) {
      case "log" -> List.of("get");
      case "eviction", "binding" -> List.of("create");
      case "finalize" -> List.of("update");
      default -> List.of("get", "patch", "update");
    };
  }

  /** Groups in a stable order: built-ins first, as a real server lists them, then CRD groups. */
  private Map<String, List<String>> groupVersions() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (ApiResource r : catalog.all()) {
      if (r.group().isEmpty()) {
        continue;
      }
      List<String> versions = groups.computeIfAbsent(r.group(), g -> new ArrayList<>());
      if (!versions.contains(r.version())) {
        versions.add(r.version());
      }
    }
    return groups;
  }

  private static ObjectNode group(String name, List<String> versions) {
    ObjectNode group = Responses.mapper().createObjectNode();
    group.put("name", name);
    ArrayNode list = group.putArray("versions");
    for (String v : versions) {
      ObjectNode gv = list.addObject();
      gv.put("groupVersion", name + "/" + v);
      gv.put("version", v);
    }
    ObjectNode preferred = group.putObject("preferredVersion");
    preferred.put("groupVersion", name + "/" + versions.get(0));
    preferred.put("version", versions.get(0));
    return group;
  }

  private static ObjectNode object(String kind, String apiVersion) {
    ObjectNode node = Responses.mapper().createObjectNode();
    node.put("kind", kind);
    if (apiVersion != null) {
      node.put("apiVersion", apiVersion);
    }
    return node;
  }
}
