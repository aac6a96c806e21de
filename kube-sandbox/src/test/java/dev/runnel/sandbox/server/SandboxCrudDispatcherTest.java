package dev.runnel.sandbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The indexed store answers every request the way fabric8's scanning store does: the same requests
 * go to both, and their answers (status, objects, versions) must be the same.
 */
class SandboxCrudDispatcherTest {

  private final KubernetesCrudDispatcher reference = new KubernetesCrudDispatcher(List.of());
  private final SandboxCrudDispatcher indexed = new SandboxCrudDispatcher(new WatchHub());

  @BeforeEach
  void cluster() {
    for (String ns : List.of("a", "b")) {
      both(
          HttpMethod.POST,
          "/api/v1/namespaces",
          "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
      for (int i = 0; i < 4; i++) {
        both(
            HttpMethod.POST,
            "/api/v1/namespaces/" + ns + "/pods",
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-"
                + i
                + "\",\"labels\":{\"app\":\"web\",\"tier\":\""
                + (i % 2 == 0 ? "front" : "back")
                + "\"}},\"spec\":{\"nodeName\":\"node-"
                + i
                + "\"}}");
      }
      both(
          HttpMethod.POST,
          "/apis/apps/v1/namespaces/" + ns + "/deployments",
          "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"}}}");
      both(
          HttpMethod.POST,
          "/api/v1/namespaces/" + ns + "/events",
          "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"web.1\"},\"reason\":\"Created\"}");
      both(
          HttpMethod.POST,
          "/apis/events.k8s.io/v1/namespaces/" + ns + "/events",
          "{\"apiVersion\":\"events.k8s.io/v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"web.2\"},\"reason\":\"Scheduled\"}");
    }
    both(
        HttpMethod.POST,
        "/api/v1/nodes",
        "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-1\",\"labels\":{\"zone\":\"z1\"}}}");
  }

  @Test
  void readsAnswerAsFabric8Does() {
    for (String path :
        List.of(
            "/api/v1/pods",
            "/api/v1/namespaces/a/pods",
            "/api/v1/namespaces/a/pods/web-1",
            "/api/v1/namespaces/a/pods/missing",
            "/api/v1/namespaces/c/pods",
            "/api/v1/pods?labelSelector=tier%3Dfront",
            "/api/v1/namespaces/b/pods?labelSelector=tier%21%3Dfront",
            "/api/v1/pods?labelSelector=tier+in+%28back%29",
            "/api/v1/pods?labelSelector=%21tier",
            "/api/v1/namespaces/a/pods?fieldSelector=metadata.name%3Dweb-2",
            "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-3",
            "/apis/apps/v1/deployments",
            "/apis/apps/v1/namespaces/b/deployments/web",
            "/apis/apps/v1/namespaces/b/deployments/web/status",
            "/api/v1/namespaces/a/events",
            "/apis/events.k8s.io/v1/events",
            "/api/v1/nodes",
            "/api/v1/nodes/node-1",
            "/api/v1/nodes?labelSelector=zone%3Dz2",
            "/api/v1/namespaces",
            "/api/v1/namespaces/b",
            "/apis/batch/v1/jobs")) {
      assertSame(path, HttpMethod.GET, path, null);
    }
  }

  @Test
  void writesAndDeletesAnswerAsFabric8Does() {
    assertSame(
        "update",
        HttpMethod.PUT,
        "/api/v1/namespaces/a/pods/web-1",
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-1\",\"namespace\":\"a\",\"labels\":{\"app\":\"web\",\"tier\":\"cache\"}}}");
    assertSame(
        "stale update",
        HttpMethod.PUT,
        "/api/v1/namespaces/a/pods/web-2",
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-2\",\"namespace\":\"a\",\"resourceVersion\":\"1\"}}");
    assertSame(
        "create existing",
        HttpMethod.POST,
        "/api/v1/namespaces/a/pods",
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-3\"}}");
    assertSame("after update", HttpMethod.GET, "/api/v1/pods?labelSelector=tier%3Dcache", null);
    assertSame("delete one", HttpMethod.DELETE, "/api/v1/namespaces/a/pods/web-0", null);
    assertSame("delete missing", HttpMethod.DELETE, "/api/v1/namespaces/a/pods/web-0", null);
    assertSame(
        "delete by selector",
        HttpMethod.DELETE,
        "/api/v1/namespaces/b/pods?labelSelector=tier%3Dback",
        null);
    assertSame("after deletes", HttpMethod.GET, "/api/v1/pods", null);
    assertSame(
        "finalizer",
        HttpMethod.POST,
        "/api/v1/namespaces/a/configmaps",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"held\",\"finalizers\":[\"x/y\"]}}");
    assertSame("delete held", HttpMethod.DELETE, "/api/v1/namespaces/a/configmaps/held", null);
    assertSame("still there", HttpMethod.GET, "/api/v1/namespaces/a/configmaps/held", null);
    assertSame(
        "patch",
        HttpMethod.PATCH,
        "/apis/apps/v1/namespaces/a/deployments/web",
        "{\"metadata\":{\"labels\":{\"patched\":\"yes\"}}}");
    assertSame(
        "patched", HttpMethod.GET, "/apis/apps/v1/deployments?labelSelector=patched%3Dyes", null);
    assertThat(indexed.indexedObjects()).isEqualTo(reference.getMap().size());
  }

  private void assertSame(String what, HttpMethod method, String path, String body) {
    MockResponse expected = dispatch(reference, method, path, body);
    MockResponse actual = dispatch(indexed, method, path, body);
    assertThat(actual.code()).as(what + " status").isEqualTo(expected.code());
    assertThat(normalised(actual)).as(what).isEqualTo(normalised(expected));
  }

  private void both(HttpMethod method, String path, String body) {
    assertThat(dispatch(reference, method, path, body).code()).isLessThan(300);
    assertThat(dispatch(indexed, method, path, body).code()).isLessThan(300);
  }

  /** The answer without what differs by nature (uids, timestamps) and with lists in one order. */
  private static JsonNode normalised(MockResponse response) {
    if (response.getBody() == null || response.getBody().size() == 0) {
      return null;
    }
    JsonNode node =
        Responses.mapper()
            .readTree(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
    if (node instanceof ObjectNode object && object.has("items")) {
      List<JsonNode> items = new ArrayList<>();
      object.path("items").forEach(item -> items.add(strip(item)));
      items.sort(Comparator.comparing(JsonNode::toString));
      object.putArray("items").addAll(items);
      return object;
    }
    return strip(node);
  }

  private static JsonNode strip(JsonNode node) {
    if (node instanceof ObjectNode object && object.get("metadata") instanceof ObjectNode meta) {
      meta.remove("uid");
      meta.remove("creationTimestamp");
      meta.remove("deletionTimestamp");
    }
    return node;
  }

  private static MockResponse dispatch(
      Dispatcher dispatcher, HttpMethod method, String path, String body) {
    Headers.Builder headers = Headers.builder();
    Buffer buffer = new Buffer();
    if (body != null) {
      headers.add(
          "Content-Type",
          method == HttpMethod.PATCH ? "application/merge-patch+json" : "application/json");
      buffer.writeUtf8(body);
    }
    return dispatcher.dispatch(
        new RecordedRequest("HTTP/1.1", method, path, headers.build(), buffer));
  }
}
