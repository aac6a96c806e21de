package dev.runnel.sandbox.server;

import dev.runnel.sandbox.SimulatedClock;
import io.fabric8.mockwebserver.http.MockResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side printing ({@code Accept: application/json;as=Table}) so that {@code kubectl get}
 * shows the familiar columns for the common kinds; other kinds get NAME and AGE.
 */
public final class TableHandler implements RouteHandler {

  private final Store store;
  private final SimulatedClock clock;

  public TableHandler(Store store, SimulatedClock clock) {
    this.store = store;
    this.clock = clock;
  }

  private record Column(String name, int priority, Function<JsonNode, Object> value) {}

  @Override
  public Optional<MockResponse> handle(SandboxRequest request) {
    Optional<ResourcePath> parsed = request.resourcePath();
    if (!request.method().equals("GET")
        || !request.accept().contains("as=Table")
        || request.flag("watch")
        || parsed.isEmpty()
        || parsed.get().subresource() != null
        || parsed.get().group().equals("metrics.k8s.io")) {
      return Optional.empty();
    }
    ResourcePath path = parsed.get();
    List<ObjectNode> items;
    if (path.name() != null) {
      Optional<ObjectNode> one = store.get(path.objectPath());
      if (one.isEmpty()) {
        return Optional.of(Responses.notFound(path.resource(), path.name()));
      }
      items = List.of(one.get());
    } else {
      String query =
          request.query().containsKey("labelSelector")
              ? "?labelSelector="
                  + java.net.URLEncoder.encode(
                      request.query().get("labelSelector"), java.nio.charset.StandardCharsets.UTF_8)
              : "";
      items = store.list(path.collectionPath() + query);
    }
    List<Column> columns = columns(path.resource());
    ObjectNode table = Responses.mapper().createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    table.putObject("metadata");
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (Column c : columns) {
      ObjectNode d = definitions.addObject();
      d.put("name", c.name());
      d.put("type", c.name().equals("Restarts") ? "integer" : "string");
      d.put("format", c.name().equals("Name") ? "name" : "");
      d.put("description", "");
      d.put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    boolean fullObject = "Object".equals(request.query().get("includeObject"));
    for (ObjectNode item : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Column c : columns) {
        Object v = c.value().apply(item);
        if (v instanceof Integer i) {
          cells.add(i);
        } else {
          cells.add(String.valueOf(v));
        }
      }
      if (fullObject) {
        row.set("object", item);
      } else {
        ObjectNode partial = row.putObject("object");
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", item.path("metadata"));
      }
    }
    return Optional.of(Responses.json(200, table));
  }

  private List<Column> columns(String resource) {
    List<Column> c = new ArrayList<>();
    c.add(new Column("Name", 0, o -> o.path("metadata").path("name").asString()));
    switch (resource) {
      case "pods" -> {
        c.add(new Column("Ready", 0, TableHandler::podReady));
        c.add(new Column("Status", 0, TableHandler::podStatus));
        c.add(new Column("Restarts", 0, TableHandler::restarts));
        c.add(age());
        c.add(new Column("IP", 1, o -> o.path("status").path("podIP").asString("<none>")));
        c.add(new Column("Node", 1, o -> o.path("spec").path("nodeName").asString("<none>")));
      }
      case "nodes" -> {
        c.add(new Column("Status", 0, TableHandler::nodeStatus));
        c.add(new Column("Roles", 0, TableHandler::roles));
        c.add(age());
        c.add(new Column("Version", 0, o -> o.at("/status/nodeInfo/kubeletVersion").asString("")));
      }
      case "deployments" -> {
        c.add(
            new Column(
                "Ready", 0, o -> num(o, "/status/readyReplicas") + "/" + num(o, "/spec/replicas")));
        c.add(new Column("Up-to-date", 0, o -> num(o, "/status/updatedReplicas")));
        c.add(new Column("Available", 0, o -> num(o, "/status/availableReplicas")));
        c.add(age());
      }
      case "replicasets" -> {
        c.add(new Column("Desired", 0, o -> num(o, "/spec/replicas")));
        c.add(new Column("Current", 0, o -> num(o, "/status/replicas")));
        c.add(new Column("Ready", 0, o -> num(o, "/status/readyReplicas")));
        c.add(age());
      }
      case "statefulsets" -> {
        c.add(
            new Column(
                "Ready", 0, o -> num(o, "/status/readyReplicas") + "/" + num(o, "/spec/replicas")));
        c.add(age());
      }
      case "services" -> {
        c.add(new Column("Type", 0, o -> o.at("/spec/type").asString("ClusterIP")));
        c.add(new Column("Cluster-IP", 0, o -> o.at("/spec/clusterIP").asString("<none>")));
        c.add(new Column("External-IP", 0, TableHandler::externalIp));
        c.add(new Column("Port(s)", 0, TableHandler::ports));
        c.add(age());
      }
      case "persistentvolumeclaims" -> {
        c.add(new Column("Status", 0, o -> o.at("/status/phase").asString("Pending")));
        c.add(new Column("Volume", 0, o -> o.at("/spec/volumeName").asString("")));
        c.add(new Column("Capacity", 0, o -> o.at("/status/capacity/storage").asString("")));
        c.add(age());
      }
      case "namespaces" -> {
        c.add(new Column("Status", 0, o -> o.at("/status/phase").asString("Active")));
        c.add(age());
      }
      default -> c.add(age());
    }
    return c;
  }

  private Column age() {
    return new Column("Age", 0, o -> age(o.at("/metadata/creationTimestamp").asString(null)));
  }

  private String age(String created) {
    if (created == null) {
      return "<unknown>";
    }
    Duration d = Duration.between(Instant.parse(created), clock.now());
    long s = Math.max(0, d.getSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 3 * 3600) {
      return s / 60 + "m";
    }
    if (s < 48 * 3600) {
      return s / 3600 + "h";
    }
    return s / 86400 + "d";
  }

  private static int num(JsonNode o, String pointer) {
    return o.at(pointer).asInt(0);
  }

  private static String podReady(JsonNode pod) {
    int total = pod.at("/spec/containers").size();
    int ready = 0;
    for (JsonNode s : pod.at("/status/containerStatuses")) {
      if (s.path("ready").asBoolean(false)) {
        ready++;
      }
    }
    return ready + "/" + total;
  }

  private static String podStatus(JsonNode pod) {
    for (JsonNode s : pod.at("/status/containerStatuses")) {
      String waiting = s.at("/state/waiting/reason").asString(null);
      if (waiting != null) {
        return waiting;
      }
    }
    String phase = pod.at("/status/phase").asString("Pending");
    return phase.equals("Succeeded") ? "Completed" : phase;
  }

  private static int restarts(JsonNode pod) {
    int total = 0;
    for (JsonNode s : pod.at("/status/containerStatuses")) {
      total += s.path("restartCount").asInt(0);
    }
    return total;
  }

  private static String nodeStatus(JsonNode node) {
    String status = "NotReady";
    for (JsonNode c : node.at("/status/conditions")) {
      if ("Ready".equals(c.path("type").asString()) && "True".equals(c.path("status").asString())) {
        status = "Ready";
      }
    }
    return node.at("/spec/unschedulable").asBoolean(false)
        ? status + ",SchedulingDisabled"
        : status;
  }

  private static String roles(JsonNode node) {
    StringJoiner roles = new StringJoiner(",");
    JsonNode labels = node.at("/metadata/labels");
    labels.propertyNames().stream()
        .filter(k -> k.startsWith("node-role.kubernetes.io/"))
        .map(k -> k.substring("node-role.kubernetes.io/".length()))
        .sorted()
        .forEach(roles::add);
    return roles.length() == 0 ? "<none>" : roles.toString();
  }

  private static String externalIp(JsonNode service) {
    StringJoiner ips = new StringJoiner(",");
    for (JsonNode i : service.at("/status/loadBalancer/ingress")) {
      ips.add(i.path("ip").asString(""));
    }
    if (ips.length() > 0) {
      return ips.toString();
    }
    return "LoadBalancer".equals(service.at("/spec/type").asString("")) ? "<pending>" : "<none>";
  }

  private static String ports(JsonNode service) {
    StringJoiner ports = new StringJoiner(",");
    for (JsonNode p : service.at("/spec/ports")) {
      String nodePort = p.has("nodePort") ? ":" + p.path("nodePort").asInt() : "";
      ports.add(p.path("port").asInt() + nodePort + "/" + p.path("protocol").asString("TCP"));
    }
    return ports.length() == 0 ? "<none>" : ports.toString();
  }
}
