package dev.runnel.deploy.health.adapter.out.kube;

import dev.runnel.deploy.config.DeployProperties;
import dev.runnel.deploy.health.HealthWatchProperties;
import dev.runnel.deploy.health.application.ClusterWatches;
import dev.runnel.deploy.instance.domain.InstanceLabels;
import dev.runnel.deploy.instance.domain.LiveObject;
import dev.runnel.deploy.kube.KubeClients;
import dev.runnel.health.HealthAssessor;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One fabric8 informer per kind with a health, across all namespaces, selecting {@code
 * app.kubernetes.io/managed-by=runnel}, indexed by {@code runnel.dev/instance}. Each cluster gets
 * its own client (not {@link KubeClients}'s, which is replaced whenever a cluster is registered
 * again), so the watches live exactly as long as the cluster is watched. Informers list, then
 * watch, and after a lost connection list and watch again by themselves; an API server that does
 * not answer at start is retried in the background.
 */
@Component
class Fabric8ClusterWatches implements ClusterWatches {
  private static final Logger log = LoggerFactory.getLogger(Fabric8ClusterWatches.class);
  private static final String BY_INSTANCE = "instance";

  /** The kinds {@link HealthAssessor#hasHealth} covers. */
  static final List<String[]> KINDS =
      List.of(
          new String[] {"apps/v1", "Deployment"},
          new String[] {"apps/v1", "StatefulSet"},
          new String[] {"apps/v1", "DaemonSet"},
          new String[] {"apps/v1", "ReplicaSet"},
          new String[] {"v1", "Pod"},
          new String[] {"batch/v1", "Job"},
          new String[] {"batch/v1", "CronJob"},
          new String[] {"v1", "PersistentVolumeClaim"},
          new String[] {"v1", "Service"},
          new String[] {"networking.k8s.io/v1", "Ingress"},
          new String[] {"autoscaling/v2", "HorizontalPodAutoscaler"},
          new String[] {"apiregistration.k8s.io/v1", "APIService"});

  private final DeployProperties.Kube kube;
  private final HealthWatchProperties settings;
  private final Map<String, Watched> clusters = new ConcurrentHashMap<>();

  private record Watched(
      String kubeconfig,
      KubernetesClient client,
      List<SharedIndexInformer<GenericKubernetesResource>> informers) {}

  Fabric8ClusterWatches(DeployProperties properties, HealthWatchProperties settings) {
    this.kube = properties.kube();
    this.settings = settings;
  }

  @Override
  public void start(String cluster, String kubeconfig, Consumer<UUID> onChange, Runnable onSynced) {
    KubernetesClient client = KubeClients.open(kubeconfig, kube);
    List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    List<CompletableFuture<Void>> started = new ArrayList<>();
    ResourceEventHandler<GenericKubernetesResource> handler = new Changes(onChange);
    for (String[] k : KINDS) {
      SharedIndexInformer<GenericKubernetesResource> informer =
          client
              .genericKubernetesResources(k[0], k[1])
              .inAnyNamespace()
              .withLabel(InstanceLabels.MANAGED_BY, InstanceLabels.RUNNEL)
              .runnableInformer(settings.resync().toMillis());
      informer.addIndexers(Map.of(BY_INSTANCE, Fabric8ClusterWatches::instanceOf));
      informer.addEventHandler(handler);
      informer.exceptionHandler(
          (wasStarted, t) -> {
            // Keep trying: the API server may come back, and a kind this cluster does not serve
            // (no APIService API, say) simply stays empty.
            log.debug("health watch on '{}' {}: {}", cluster, k[1], t.toString());
            return true;
          });
      informers.add(informer);
      CompletableFuture<Void> listed = informer.start().toCompletableFuture();
      if (core(k)) {
        started.add(listed);
      }
    }
    clusters.put(cluster, new Watched(kubeconfig, client, informers));
    CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
        .whenComplete(
            (ok, error) -> {
              if (error == null && clusters.containsKey(cluster)) {
                onSynced.run();
              }
            });
  }

  @Override
  public void stop(String cluster) {
    Watched w = clusters.remove(cluster);
    if (w != null) {
      w.informers().forEach(SharedIndexInformer::stop);
      w.client().close();
    }
  }

  @Override
  public Map<String, String> watching() {
    Map<String, String> out = new LinkedHashMap<>();
    clusters.forEach((name, w) -> out.put(name, w.kubeconfig()));
    return out;
  }

  @Override
  public boolean connected(String cluster) {
    Watched w = clusters.get(cluster);
    if (w == null) {
      return false;
    }
    // The kinds every cluster serves decide; a missing optional API (APIService on a small
    // cluster) must not make the whole cluster look unreachable.
    for (int i = 0; i < w.informers().size(); i++) {
      SharedIndexInformer<GenericKubernetesResource> informer = w.informers().get(i);
      if (core(KINDS.get(i)) && !(informer.hasSynced() && informer.isWatching())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Map<String, LiveObject> live(String cluster, String namespace, UUID instanceId) {
    Watched w = clusters.get(cluster);
    Map<String, LiveObject> live = new LinkedHashMap<>();
    if (w == null) {
      return live;
    }
    for (SharedIndexInformer<GenericKubernetesResource> informer : w.informers()) {
      for (GenericKubernetesResource r :
          informer.getIndexer().byIndex(BY_INSTANCE, instanceId.toString())) {
        if (namespace.equals(r.getMetadata().getNamespace())
            || r.getMetadata().getNamespace() == null) {
          live.put(
              r.getKind() + "/" + r.getMetadata().getName(),
              new LiveObject(
                  r.getApiVersion(),
                  r.getKind(),
                  r.getMetadata().getName(),
                  HealthAssessor.assess(r).orElse(null)));
        }
      }
    }
    return live;
  }

  private static boolean core(String[] kind) {
    return kind[0].equals("v1") || kind[0].equals("apps/v1");
  }

  private static List<String> instanceOf(GenericKubernetesResource r) {
    Map<String, String> labels = r.getMetadata().getLabels();
    String id = labels == null ? null : labels.get(InstanceLabels.INSTANCE);
    return id == null ? List.of() : List.of(id);
  }

  /** Reports the instance an object belongs to; objects without the label are not Runnel's. */
  private record Changes(Consumer<UUID> onChange)
      implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource r) {
      report(r);
    }

    @Override
    public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
      report(after);
    }

    @Override
    public void onDelete(GenericKubernetesResource r, boolean finalStateUnknown) {
      report(r);
    }

    private void report(GenericKubernetesResource r) {
      for (String id : instanceOf(r)) {
        try {
          onChange.accept(UUID.fromString(id));
        } catch (IllegalArgumentException notAnId) {
          log.debug(
              "object {}/{} has a malformed instance label",
              r.getKind(),
              r.getMetadata().getName());
        }
      }
    }
  }
}
