package dev.runnel.sandbox.server;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * fabric8's CRUD store with the sandbox's own watch delivery (see {@link WatchHub}): watch requests
 * get a {@link WatchHub} stream, stored changes are published to it, and the CRUD dispatcher's own
 * watch listeners are never registered. Deletions are published by {@link Store}, which sees the
 * object before it goes.
 */
public final class SandboxCrudDispatcher extends KubernetesCrudDispatcher {

  private final WatchHub hub;

  public SandboxCrudDispatcher(WatchHub hub) {
    super(List.of());
    this.hub = hub;
  }

  @Override
  public MockResponse handleWatch(String path) {
    AttributeSet query = getAttributeExtractor().fromPath(path);
    String name = nameFromFieldSelector(path);
    if (name != null) {
      query = query.add(new Attribute("name", name));
    }
    return new MockResponse().withWebSocketUpgrade(hub.open(query));
  }

  /**
   * Called by the CRUD handlers for every stored change: {@code value} is the object's new JSON, or
   * null when it was removed (deletions are published by {@link Store} instead).
   */
  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String value) {
    super.processEvent(path, pathAttributes, oldAttributes, resource, value);
    if (value == null) {
      return;
    }
    AttributeSet current = getAttributeExtractor().fromResource(value);
    if (!current.containsKey("plural")) {
      current = AttributeSet.merge(pathAttributes, current);
    }
    hub.publish(oldAttributes == null ? "ADDED" : "MODIFIED", value, current, oldAttributes);
  }

  /** Publishes the deletion of an object that was just removed from the store. */
  void publishDeleted(String objectPath, String json) {
    AttributeSet attributes =
        AttributeSet.merge(
            getAttributeExtractor().fromPath(objectPath),
            getAttributeExtractor().fromResource(json));
    hub.publish("DELETED", json, attributes);
  }

  private static String nameFromFieldSelector(String path) {
    int q = path.indexOf('?');
    if (q < 0) {
      return null;
    }
    for (String pair : path.substring(q + 1).split("&")) {
      String decoded = URLDecoder.decode(pair, StandardCharsets.UTF_8);
      if (decoded.startsWith("fieldSelector=")) {
        for (String term : decoded.substring("fieldSelector=".length()).split(",")) {
          if (term.startsWith("metadata.name=")) {
            return term.substring("metadata.name=".length());
          }
        }
      }
    }
    return null;
  }
}
