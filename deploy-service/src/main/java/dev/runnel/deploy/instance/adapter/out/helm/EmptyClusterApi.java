package dev.runnel.deploy.instance.adapter.out.helm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Kubernetes API on loopback that knows the common kinds and holds no objects. Helm's {@code
 * lookup} resolves the kind through discovery and then finds nothing, so it returns an empty map:
 * the client-only rendering Runnel wants (ARCHITECTURE.md), without a live cluster.
 */
final class EmptyClusterApi {
  /** group/version to kind, plural, namespaced. */
  private static final Map<String, List<Res>> RESOURCES = new LinkedHashMap<>();

  static {
    RESOURCES.put(
        "v1",
        List.of(
            r("ConfigMap", "configmaps", true),
            r("Secret", "secrets", true),
            r("Service", "services", true),
            r("ServiceAccount", "serviceaccounts", true),
            r("PersistentVolumeClaim", "persistentvolumeclaims", true),
            r("Pod", "pods", true),
            r("Endpoints", "endpoints", true),
            r("Namespace", "namespaces", false),
            r("Node", "nodes", false),
            r("PersistentVolume", "persistentvolumes", false)));
    RESOURCES.put(
        "apps/v1",
        List.of(
            r("Deployment", "deployments", true),
            r("StatefulSet", "statefulsets", true),
            r("DaemonSet", "daemonsets", true),
            r("ReplicaSet", "replicasets", true)));
    RESOURCES.put("batch/v1", List.of(r("Job", "jobs", true), r("CronJob", "cronjobs", true)));
    RESOURCES.put(
        "networking.k8s.io/v1",
        List.of(
            r("Ingress", "ingresses", true),
            r("NetworkPolicy", "networkpolicies", true),
            r("IngressClass", "ingressclasses", false)));
    RESOURCES.put("policy/v1", List.of(r("PodDisruptionBudget", "poddisruptionbudgets", true)));
    RESOURCES.put(
        "rbac.authorization.k8s.io/v1",
        List.of(
            r("Role", "roles", true),
            r("RoleBinding", "rolebindings", true),
            r("ClusterRole", "clusterroles", false),
            r("ClusterRoleBinding", "clusterrolebindings", false)));
    RESOURCES.put("storage.k8s.io/v1", List.of(r("StorageClass", "storageclasses", false)));
    RESOURCES.put(
        "autoscaling/v2", List.of(r("HorizontalPodAutoscaler", "horizontalpodautoscalers", true)));
    RESOURCES.put(
        "apiextensions.k8s.io/v1",
        List.of(r("CustomResourceDefinition", "customresourcedefinitions", false)));
  }

  private final HttpServer server;

  private EmptyClusterApi(HttpServer server) {
    this.server = server;
  }

  private record Res(String kind, String plural, boolean namespaced) {}

  private static Res r(String kind, String plural, boolean namespaced) {
    return new Res(kind, plural, namespaced);
  }

  static EmptyClusterApi start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", EmptyClusterApi::handle);
    server.start();
    return new EmptyClusterApi(server);
  }

  String kubeconfig() {
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: empty",
        "  cluster:",
        "    server: " + url,
        "contexts:",
        "- name: empty",
        "  context:",
        "    cluster: empty",
        "    user: empty",
        "current-context: empty",
        "users:",
        "- name: empty",
        "  user: {}",
        "");
  }

  void stop() {
    server.stop(0);
  }

  private static void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String groupVersion = null;
    if (path.equals("/api/v1")) {
      groupVersion = "v1";
    } else if (path.startsWith("/apis/") && path.chars().filter(c -> c == '/').count() == 3) {
      groupVersion = path.substring("/apis/".length());
    }
    if (path.equals("/api")) {
      send(exchange, 200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}");
    } else if (groupVersion != null && RESOURCES.containsKey(groupVersion)) {
      String resources =
          RESOURCES.get(groupVersion).stream()
              .map(
                  r ->
                      "{\"name\":\""
                          + r.plural()
                          + "\",\"singularName\":\"\",\"namespaced\":"
                          + r.namespaced()
                          + ",\"kind\":\""
                          + r.kind()
                          + "\",\"verbs\":[\"get\",\"list\"]}")
              .collect(Collectors.joining(","));
      send(
          exchange,
          200,
          "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\""
              + groupVersion
              + "\",\"resources\":["
              + resources
              + "]}");
    } else {
      send(
          exchange,
          404,
          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
              + "\"reason\":\"NotFound\",\"code\":404,\"message\":\"not found\"}");
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
