package dev.runnel.sandbox.controllers;

import dev.runnel.sandbox.SimulatedClock;
import dev.runnel.sandbox.faults.Faults;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One pass of the controller loop: shared access to the API, the clock, events and faults, a
 * per-pass snapshot of pods and nodes (read once, used by every stage), and a way to ask for the
 * next pass at a given time.
 *
 * <p>What a stage creates or changes goes into the snapshot ({@link #wrote(Pod)}), so the stages
 * after it in the same pass see it, as the real controllers see each other's writes through their
 * watches within milliseconds. A Deployment's pod is then created, scheduled and started in one
 * pass instead of one pass each; zero pod-ready delay really is close to zero.
 */
public final class Reconcile {

  private final KubernetesClient client;
  private final StoredObjects stored;
  private final EventRecorder events;
  private final Faults faults;
  private final Duration podReadyDelay;
  private final Instant now;
  private Instant nextDue;
  private List<Pod> pods;
  private List<Node> nodes;
  private final Map<String, List<?>> lists = new HashMap<>();

  Reconcile(
      KubernetesClient client,
      StoredObjects stored,
      SimulatedClock clock,
      EventRecorder events,
      Faults faults,
      Duration podReadyDelay) {
    this.client = client;
    this.stored = stored;
    this.events = events;
    this.faults = faults;
    this.podReadyDelay = podReadyDelay;
    this.now = clock.now();
  }

  public KubernetesClient client() {
    return client;
  }

  /** The time this pass runs at; every stage of a pass sees the same now. */
  public Instant now() {
    return now;
  }

  public String timestamp() {
    return SimulatedClock.format(now);
  }

  public EventRecorder events() {
    return events;
  }

  public Faults faults() {
    return faults;
  }

  public Duration podReadyDelay() {
    return podReadyDelay;
  }

  public List<Pod> pods() {
    if (pods == null) {
      pods = list("/api/v1/pods", Pod.class);
    }
    return pods;
  }

  public List<Node> nodes() {
    if (nodes == null) {
      nodes = list("/api/v1/nodes", Node.class);
    }
    return nodes;
  }

  /**
   * Every object of a collection, read from the store ({@link StoredObjects}), each a copy of its
   * own that a stage may change.
   */
  public <T> List<T> list(String collectionPath, Class<T> type) {
    List<String> items = stored.list(collectionPath);
    List<T> objects = new ArrayList<>(items.size());
    for (String json : items) {
      objects.add(Serialization.unmarshal(json, type));
    }
    return objects;
  }

  /** A list read once per pass and shared by the stages that need it. */
  @SuppressWarnings("unchecked")
  public <T> List<T> cached(String key, Supplier<List<T>> read) {
    return (List<T>) lists.computeIfAbsent(key, k -> new ArrayList<>(read.get()));
  }

  /**
   * A pod this pass created or changed, as the API server returned it: later stages see it. Stages
   * iterate copies or finish iterating before they write, so the snapshot may grow here.
   */
  public void wrote(Pod pod) {
    if (pods != null) {
      replaceOrAdd(pods, pod);
    }
  }

  /**
   * An object of a {@link #cached} list this pass created or changed, as the server returned it.
   */
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> void wrote(String key, T object) {
    List<T> list = (List<T>) lists.get(key);
    if (list != null) {
      replaceOrAdd(list, object);
    }
  }

  /** A pod this pass deleted: later stages no longer count it. */
  public void forget(Pod pod) {
    if (pods != null) {
      String uid = pod.getMetadata().getUid();
      pods.removeIf(p -> uid != null && uid.equals(p.getMetadata().getUid()));
    }
  }

  /** The next read of these {@link #cached} lists reads the store again. */
  public void reread(String... keys) {
    for (String key : keys) {
      lists.remove(key);
    }
  }

  private static <T extends HasMetadata> void replaceOrAdd(List<T> list, T object) {
    String uid = object.getMetadata().getUid();
    for (int i = 0; i < list.size(); i++) {
      if (uid != null && uid.equals(list.get(i).getMetadata().getUid())) {
        list.set(i, object);
        return;
      }
    }
    list.add(object);
  }

  /** Asks for another pass no later than {@code at}, for work that is due in the future. */
  public void requeueAt(Instant at) {
    if (nextDue == null || at.isBefore(nextDue)) {
      nextDue = at;
    }
  }

  public void requeueAfter(Duration delay) {
    requeueAt(now.plus(delay));
  }

  Instant nextDue() {
    return nextDue;
  }
}
