package dev.runnel.deploy.health.application;

import dev.runnel.deploy.cluster.application.Clusters;
import dev.runnel.deploy.cluster.domain.Cluster;
import dev.runnel.deploy.health.HealthWatchProperties;
import dev.runnel.deploy.health.domain.HealthChange;
import dev.runnel.deploy.instance.application.ChartRenderer;
import dev.runnel.deploy.instance.application.Instances;
import dev.runnel.deploy.instance.application.Revisions;
import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.instance.domain.InstanceHealth;
import dev.runnel.deploy.instance.domain.ManifestObject;
import dev.runnel.deploy.kube.SealedKubeconfigs;
import dev.runnel.health.HealthAssessor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The standing health watch: after its operations, an instance's health follows what its cluster
 * reports through informers (no polling of the API server). A change to any of an instance's
 * objects recomputes its health with the rule operations use ({@link InstanceHealth}) after a short
 * debounce; when the status differs from the stored one, the new health and {@code
 * runnel.deploy.instance.health-changed.v1} are written in one transaction.
 *
 * <p>Operations win: while one is pending or running on an instance, the watch writes nothing for
 * it (the operation waits for health itself and stores what it saw at its end) and looks again
 * shortly after. When a cluster's watches have been down for {@code unreachableAfter}, its
 * instances turn Unknown (one event each); when they are back, every instance is recomputed.
 */
@Service
public class HealthMonitor implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

  private final ClusterWatches watches;
  private final HealthRecords records;
  private final HealthEvents events;
  private final Instances instances;
  private final Revisions revisions;
  private final ChartRenderer renderer;
  private final Clusters clusters;
  private final SealedKubeconfigs kubeconfigs;
  private final TransactionalOperator tx;
  private final Clock clock;
  private final HealthWatchProperties settings;
  private final Scheduler scheduler = Schedulers.newParallel("health-watch", 2, true);
  // Keyed by cluster and instance: two registered clusters may be one API server (the same cluster
  // registered twice), and then both watches report every object. Only the instance's own cluster
  // may assess it; a slot shared with the other one would be claimed by whichever reported first.
  private final Map<SlotKey, Slot> slots = new ConcurrentHashMap<>();
  private final Map<UUID, Tracked> tracked = new ConcurrentHashMap<>();
  private final Map<String, Instant> downSince = new ConcurrentHashMap<>();
  private final Set<String> markedUnknown = ConcurrentHashMap.newKeySet();
  private volatile Disposable refresher;

  /** The rendered objects with a health of one revision (bodies dropped: only refs are needed). */
  private record Tracked(int revision, List<ManifestObject> objects) {}

  private record SlotKey(String cluster, UUID instance) {}

  /** Debounce and one-at-a-time bookkeeping of one instance as one cluster's watch sees it. */
  private static final class Slot {
    final String cluster;
    boolean scheduled;
    boolean running;
    boolean dirty;
    boolean retired;

    Slot(String cluster) {
      this.cluster = cluster;
    }
  }

  /** What one evaluation did. */
  public enum Outcome {
    UNCHANGED,
    CHANGED,
    /**
     * An operation runs on the instance, its stored health moved meanwhile, or the cluster's
     * watches are catching up: look again.
     */
    DEFERRED
  }

  public HealthMonitor(
      ClusterWatches watches,
      HealthRecords records,
      HealthEvents events,
      Instances instances,
      Revisions revisions,
      ChartRenderer renderer,
      Clusters clusters,
      SealedKubeconfigs kubeconfigs,
      TransactionalOperator tx,
      Clock clock,
      HealthWatchProperties settings) {
    this.watches = watches;
    this.records = records;
    this.events = events;
    this.instances = instances;
    this.revisions = revisions;
    this.renderer = renderer;
    this.clusters = clusters;
    this.kubeconfigs = kubeconfigs;
    this.tx = tx;
    this.clock = clock;
    this.settings = settings;
  }

  @EventListener(ApplicationReadyEvent.class)
  void begin() {
    if (!settings.enabled()) {
      log.info("standing health watch disabled (runnel.deploy.health.enabled=false)");
      return;
    }
    refresher =
        Flux.interval(Duration.ZERO, settings.clusterRefresh(), scheduler)
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    refreshClusters()
                        .onErrorResume(
                            e -> {
                              log.warn(
                                  "health watch: could not refresh clusters: {}", e.toString());
                              return Mono.empty();
                            }))
            .subscribe();
  }

  @Override
  public void destroy() {
    Disposable r = refresher;
    if (r != null) {
      r.dispose();
    }
    Set.copyOf(watches.watching().keySet()).forEach(watches::stop);
    scheduler.dispose();
  }

  /**
   * Starts watches for clusters registered since the last look, restarts those whose kubeconfig
   * changed, stops those removed, and tracks which are reachable.
   */
  Mono<Void> refreshClusters() {
    return clusters
        .all()
        .map(Cluster::name)
        .concatMap(name -> kubeconfigs.kubeconfig(name).map(k -> Map.entry(name, k)))
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .doOnNext(
            registered -> {
              Map<String, String> running = watches.watching();
              for (String gone : new HashSet<>(running.keySet())) {
                if (!registered.containsKey(gone)) {
                  watches.stop(gone);
                  downSince.remove(gone);
                  markedUnknown.remove(gone);
                  log.info("health watch: stopped watching cluster '{}'", gone);
                }
              }
              registered.forEach(
                  (name, kubeconfig) -> {
                    if (!kubeconfig.equals(running.get(name))) {
                      if (running.containsKey(name)) {
                        watches.stop(name);
                      }
                      watches.start(
                          name, kubeconfig, id -> changed(name, id), () -> recheckAll(name));
                      log.info("health watch: watching cluster '{}'", name);
                    } else {
                      checkReachable(name);
                    }
                  });
            })
        .then();
  }

  private void checkReachable(String cluster) {
    if (watches.connected(cluster)) {
      downSince.remove(cluster);
      if (markedUnknown.remove(cluster)) {
        log.info("health watch: cluster '{}' answers again; recomputing its instances", cluster);
        recheckAll(cluster);
      }
      return;
    }
    Instant since = downSince.computeIfAbsent(cluster, c -> clock.instant());
    if (!markedUnknown.contains(cluster)
        && Duration.between(since, clock.instant()).compareTo(settings.unreachableAfter()) >= 0) {
      markedUnknown.add(cluster);
      log.warn("health watch: cluster '{}' unreachable since {}; health Unknown", cluster, since);
      records
          .watchedOn(cluster)
          .concatMap(
              id ->
                  instances
                      .find(id)
                      .flatMap(i -> record(HealthChange.unreachable(i, cluster)))
                      .onErrorResume(
                          e -> {
                            log.warn("health watch: instance {}: {}", id, e.toString());
                            return Mono.empty();
                          }))
          .subscribe(o -> {}, e -> log.warn("health watch: {}", e.toString()));
    }
  }

  private void recheckAll(String cluster) {
    records
        .watchedOn(cluster)
        .subscribe(
            id -> changed(cluster, id),
            e ->
                log.warn(
                    "health watch: could not list instances of '{}': {}", cluster, e.toString()));
  }

  /** One of the instance's objects changed: recompute its health after the debounce. */
  void changed(String cluster, UUID id) {
    changed(cluster, id, settings.debounce());
  }

  private void changed(String cluster, UUID id, Duration delay) {
    SlotKey key = new SlotKey(cluster, id);
    while (true) {
      Slot slot = slots.computeIfAbsent(key, k -> new Slot(cluster));
      synchronized (slot) {
        if (slot.retired) {
          continue;
        }
        if (slot.running) {
          slot.dirty = true;
          return;
        }
        if (slot.scheduled) {
          return;
        }
        slot.scheduled = true;
      }
      scheduler.schedule(
          () -> run(key, slot), delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return;
    }
  }

  private void run(SlotKey key, Slot slot) {
    UUID id = key.instance();
    synchronized (slot) {
      slot.scheduled = false;
      slot.running = true;
      slot.dirty = false;
    }
    evaluate(slot.cluster, id)
        .onErrorResume(
            e -> {
              log.warn("health watch: could not assess instance {}: {}", id, e.toString());
              return Mono.just(Outcome.DEFERRED);
            })
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .subscribe(
            outcome -> {
              boolean again;
              synchronized (slot) {
                slot.running = false;
                again = slot.dirty;
                slot.dirty = false;
                if (!again && outcome.isEmpty()) {
                  // Deleted, stopped, or another cluster's instance: keep no bookkeeping for it.
                  slot.retired = true;
                  slots.remove(key, slot);
                }
              }
              if (again) {
                changed(slot.cluster, id);
              } else if (outcome.orElse(Outcome.UNCHANGED) == Outcome.DEFERRED) {
                changed(slot.cluster, id, settings.operationRecheck());
              }
            });
  }

  /**
   * Recomputes the instance's health from the informers' cache and records it when it changed; what
   * a change or a resync of one of its objects leads to. Empty when the instance is not this
   * cluster's watch's business (deleted, stopped, placed elsewhere, or the cluster is not watched).
   */
  public Mono<Outcome> evaluate(String cluster, UUID id) {
    if (!watches.watching().containsKey(cluster)) {
      return Mono.empty();
    }
    if (!watches.connected(cluster)) {
      // A cache that no longer follows the cluster says nothing about now. Look again shortly: an
      // informer that relists after a dropped watch reports its changes before it watches again,
      // and dropping those would leave the health stale until the next resync.
      return Mono.just(Outcome.DEFERRED);
    }
    return instances
        .find(id)
        .filter(i -> i.cluster().equals(cluster) && HealthChange.watched(i.state()))
        .flatMap(
            i ->
                trackedObjects(i)
                    .map(
                        objects ->
                            InstanceHealth.of(
                                objects, watches.live(cluster, i.namespace(), id), true, Set.of()))
                    .flatMap(snapshot -> record(HealthChange.between(i, snapshot))))
        .doOnSuccess(
            outcome -> {
              if (outcome == null) {
                // Deleted, stopped or not (yet) this watch's business: nothing to keep for it.
                tracked.remove(id);
              }
            });
  }

  private Mono<Outcome> record(Optional<HealthChange> change) {
    if (change.isEmpty()) {
      return Mono.just(Outcome.UNCHANGED);
    }
    HealthChange c = change.get();
    Instant observedAt = clock.instant();
    return records
        .store(c)
        .flatMap(
            stored ->
                stored
                    ? events.changed(c, observedAt).thenReturn(Outcome.CHANGED)
                    : Mono.just(Outcome.DEFERRED))
        .as(tx::transactional)
        .doOnNext(
            o -> {
              if (o == Outcome.CHANGED) {
                log.info(
                    "instance {} health {} -> {}{}",
                    c.instance().id(),
                    c.previous().label(),
                    c.current().label(),
                    c.reason().isEmpty() ? "" : " (" + c.reason() + ")");
              }
            });
  }

  private Mono<List<ManifestObject>> trackedObjects(Instance i) {
    Tracked cached = tracked.get(i.id());
    if (cached != null && cached.revision() == i.revision()) {
      return Mono.just(cached.objects());
    }
    return revisions
        .find(i.id(), i.revision())
        .map(
            r ->
                renderer.parse(r.manifest(), "").objects().stream()
                    .filter(o -> HealthAssessor.hasHealth(o.apiVersion(), o.kind()))
                    .map(
                        o ->
                            new ManifestObject(
                                o.apiVersion(), o.kind(), o.namespace(), o.name(), Map.of()))
                    .toList())
        .defaultIfEmpty(List.of())
        .doOnNext(objects -> tracked.put(i.id(), new Tracked(i.revision(), objects)));
  }
}
