package dev.runnel.sandbox.server;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.CustomResourceDefinitionProcessor;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Supplier;

/**
 * fabric8's CRUD store with the sandbox's own watch delivery (see {@link WatchHub}): watch requests
 * get a {@link WatchHub} stream, stored changes are published to it, and the CRUD dispatcher's own
 * watch listeners are never registered. Deletions are published by {@link Store}, which sees the
 * object before it goes.
 *
 * <p>Reads and deletes find their objects through an {@link ObjectIndex} (by resource, namespace
 * and name) instead of fabric8's scan of every stored object, which made each request cost O(all
 * objects) and the create rate fall as the cluster filled (docs/benchmarks.md, "kube-sandbox at
 * scale"). fabric8's map stays the storage and its create, update and patch handlers stay in charge
 * of the semantics; only the lookups change. The parts of fabric8 those lookups need (its lock,
 * resource version, response composer, CRD processor) are private, so they are read once here, and
 * a fabric8 upgrade that renames them fails at construction, not later.
 */
public final class SandboxCrudDispatcher extends KubernetesCrudDispatcher {

  private final WatchHub hub;
  private final ObjectIndex index = new ObjectIndex();
  private final ReadWriteLock lock;
  private final AtomicLong resourceVersion;
  private final KubernetesResponseComposer composer;
  private final CustomResourceDefinitionProcessor crds;
  private final Supplier<Instant> clock;

  /** Stored Events by key, oldest write first, with the (simulated) time of their last write. */
  private final LinkedHashMap<AttributeSet, Instant> eventWrites = new LinkedHashMap<>();

  public SandboxCrudDispatcher(WatchHub hub) {
    this(hub, Instant::now);
  }

  /** {@code clock} tells when an Event was written, for {@link #eventsWrittenBefore}. */
  public SandboxCrudDispatcher(WatchHub hub, Supplier<Instant> clock) {
    super(List.of());
    this.hub = hub;
    this.clock = clock;
    this.lock = inherited("lock", ReadWriteLock.class);
    this.resourceVersion = inherited("resourceVersion", AtomicLong.class);
    this.composer = inherited("kubernetesResponseComposer", KubernetesResponseComposer.class);
    this.crds = inherited("crdProcessor", CustomResourceDefinitionProcessor.class);
  }

  @Override
  public MockResponse handleGet(String path) {
    if (watchRequested(path)) {
      return locked(lock.readLock(), () -> handleWatch(path));
    }
    return locked(lock.readLock(), () -> read(path));
  }

  @Override
  public MockResponse handleDelete(String path) {
    return locked(lock.writeLock(), () -> remove(path));
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
    List<ObjectIndex.Entry> found = index.matches(attributes);
    return found.isEmpty()
        ? null
        : new AbstractMap.SimpleImmutableEntry<>(found.get(0).key(), found.get(0).json());
  }

  @Override
  public void reset() {
    locked(
        lock.writeLock(),
        () -> {
          index.clear();
          return null;
        });
    super.reset();
  }

  /** One stored Event: its apiVersion ({@code v1} or {@code events.k8s.io/v1}), namespace, name. */
  public record EventRef(String apiVersion, String namespace, String name) {}

  /**
   * The Events (core/v1 and events.k8s.io/v1) last written before {@code cutoff}, oldest first:
   * what the API server's Event time to live would have removed by now.
   */
  public List<EventRef> eventsWrittenBefore(Instant cutoff) {
    return locked(
        lock.readLock(),
        () -> {
          List<EventRef> paths = new ArrayList<>();
          Iterator<Map.Entry<AttributeSet, Instant>> writes = eventWrites.entrySet().iterator();
          while (writes.hasNext()) {
            Map.Entry<AttributeSet, Instant> write = writes.next();
            if (!write.getValue().isBefore(cutoff)) {
              break;
            }
            paths.add(eventRef(write.getKey()));
          }
          return paths;
        });
  }

  /**
   * The stored JSON of the objects a GET of {@code collectionPath} would list, read in-process: the
   * simulated controllers' reads, which spared a request each (see StoredObjects).
   */
  public List<String> storedJson(String collectionPath) {
    return locked(
        lock.readLock(),
        () -> {
          List<ObjectIndex.Entry> found =
              index.matches(getAttributeExtractor().fromPath(collectionPath));
          List<String> items = new ArrayList<>(found.size());
          for (ObjectIndex.Entry entry : found) {
            items.add(entry.json());
          }
          return items;
        });
  }

  /** Objects stored, for tests of the index's bookkeeping. */
  int indexedObjects() {
    return locked(lock.readLock(), index::size);
  }

  /** fabric8's GET: one object (404 when none) or a list of the matching objects. */
  private MockResponse read(String path) {
    AttributeSet query = getAttributeExtractor().fromPath(path);
    List<ObjectIndex.Entry> found = index.matches(query);
    List<String> items = new ArrayList<>(found.size());
    for (ObjectIndex.Entry entry : found) {
      items.add(entry.json());
    }
    MockResponse response = new MockResponse();
    if (query.containsKey("name")) {
      return items.isEmpty()
          ? response.setResponseCode(404)
          : response.setBody(items.get(0)).setResponseCode(200);
    }
    String body = items.isEmpty() ? crds.getApiResources(path) : null;
    if (body == null) {
      body = composer.compose(items, String.valueOf(resourceVersion.get()));
    }
    return response.setBody(body).setResponseCode(200);
  }

  /**
   * fabric8's DELETE: each matching object goes at once, or, when it has finalizers, is marked for
   * deletion (deletionTimestamp, a new resourceVersion) and stays until they are removed.
   */
  private MockResponse remove(String path) {
    AttributeSet query = getAttributeExtractor().fromPath(path);
    List<ObjectIndex.Entry> found = index.matches(query);
    List<String> items = new ArrayList<>();
    for (ObjectIndex.Entry entry : found) {
      AttributeSet key = entry.key();
      String value = entry.json();
      items.add(value);
      GenericKubernetesResource resource =
          Serialization.unmarshal(value, GenericKubernetesResource.class);
      if (resource.getFinalizers().isEmpty()) {
        processEvent(path, query, key, null, null);
      } else if (!resource.isMarkedForDeletion()) {
        resource
            .getMetadata()
            .setDeletionTimestamp(
                ZonedDateTime.now(ZoneOffset.UTC)
                    .truncatedTo(ChronoUnit.SECONDS)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        resource.getMetadata().setResourceVersion(String.valueOf(requestResourceVersion()));
        processEvent(path, query, key, resource, Serialization.asJson(resource));
      }
    }
    MockResponse response = new MockResponse();
    if (query.containsKey("name")) {
      return items.isEmpty()
          ? response.setResponseCode(404)
          : response.setBody(items.get(0)).setResponseCode(200);
    }
    return response
        .setBody(composer.compose(items, String.valueOf(resourceVersion.get())))
        .setResponseCode(200);
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
    if (oldAttributes != null) {
      index.remove(oldAttributes);
      eventWrites.remove(oldAttributes);
    }
    if (value == null) {
      return;
    }
    // The key fabric8 just stored the object under, computed the same way.
    KubernetesAttributesExtractor extractor =
        (KubernetesAttributesExtractor) getAttributeExtractor();
    AttributeSet current =
        resource != null ? extractor.extract(resource) : extractor.fromResource(value);
    if (!current.containsKey("plural")) {
      current = AttributeSet.merge(pathAttributes, current);
    }
    index.put(current, value);
    if (isEvent(current)) {
      eventWrites.remove(current);
      eventWrites.put(current, clock.get());
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

  private static boolean isEvent(AttributeSet key) {
    String api = attribute(key, "api");
    return "events".equals(attribute(key, "plural"))
        && (api == null || api.equals("events.k8s.io"))
        && attribute(key, "namespace") != null
        && attribute(key, "name") != null;
  }

  private static EventRef eventRef(AttributeSet key) {
    String api = attribute(key, "api");
    String version = attribute(key, "version");
    return new EventRef(
        api == null ? version : api + "/" + version,
        attribute(key, "namespace"),
        attribute(key, "name"));
  }

  private static String attribute(AttributeSet key, String name) {
    Attribute attribute = key.getAttribute(name);
    return attribute == null || attribute.getValues().isEmpty()
        ? null
        : attribute.getValues().get(0).toString();
  }

  private static boolean watchRequested(String path) {
    try {
      String query = new URI(path).getQuery();
      return query != null && query.contains("watch=true");
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static <T> T locked(Lock held, Supplier<T> action) {
    held.lock();
    try {
      return action.get();
    } finally {
      held.unlock();
    }
  }

  private <T> T inherited(String name, Class<T> type) {
    try {
      Field field = KubernetesCrudDispatcher.class.getDeclaredField(name);
      field.setAccessible(true);
      return type.cast(field.get(this));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "fabric8's KubernetesCrudDispatcher has no field " + name + " of type " + type, e);
    }
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
