package dev.runnel.deploy.instance.adapter.out.kube;

import dev.runnel.deploy.instance.application.Workloads;
import dev.runnel.deploy.instance.domain.HealthSnapshot;
import dev.runnel.deploy.instance.domain.Hook;
import dev.runnel.deploy.instance.domain.InstanceHealth;
import dev.runnel.deploy.instance.domain.InstanceLabels;
import dev.runnel.deploy.instance.domain.LiveObject;
import dev.runnel.deploy.instance.domain.ManifestObject;
import dev.runnel.deploy.instance.domain.ObjectHealth;
import dev.runnel.deploy.kube.KubeClients;
import dev.runnel.health.Health;
import dev.runnel.health.HealthAssessor;
import dev.runnel.health.HealthStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Instances on Kubernetes through fabric8: server-side apply as field manager {@code runnel},
 * hooks, scaling, deletion by label, and health driven by watches on the instance's labelled
 * objects (no polling). Every call goes through {@link KubeClients} (bulkhead, time limit, off the
 * event loop).
 */
@Component
class KubeWorkloads implements Workloads {
  static final String FIELD_MANAGER = "runnel";
  static final String RESTARTED_AT = "runnel.dev/restartedAt";
  private static final List<String> SCALABLE = List.of("Deployment", "StatefulSet", "ReplicaSet");
  private static final List<String[]> ALWAYS_DELETED =
      List.of(
          new String[] {"apps/v1", "Deployment"},
          new String[] {"apps/v1", "StatefulSet"},
          new String[] {"apps/v1", "DaemonSet"},
          new String[] {"apps/v1", "ReplicaSet"},
          new String[] {"batch/v1", "CronJob"},
          new String[] {"batch/v1", "Job"},
          new String[] {"v1", "Pod"},
          new String[] {"v1", "Service"},
          new String[] {"v1", "ConfigMap"},
          new String[] {"v1", "Secret"},
          new String[] {"v1", "ServiceAccount"},
          new String[] {"networking.k8s.io/v1", "Ingress"},
          new String[] {"networking.k8s.io/v1", "NetworkPolicy"},
          new String[] {"policy/v1", "PodDisruptionBudget"});

  private final KubeClients clients;

  KubeWorkloads(KubeClients clients) {
    this.clients = clients;
  }

  // ---------------------------------------------------------------- preflight

  @Override
  public Mono<String> capacityShortfall(
      String cluster, List<ManifestObject> objects, Map<UUID, List<ManifestObject>> inFlight) {
    Set<String> reserved = new HashSet<>();
    inFlight.keySet().forEach(id -> reserved.add(id.toString()));
    return clients.call(
        cluster,
        client -> {
          List<Node> nodes =
              client.nodes().list().getItems().stream().filter(KubeWorkloads::schedulable).toList();
          Set<String> nodeNames = new LinkedHashSet<>();
          NodeFit fit = new NodeFit();
          BigDecimal freeCpu = BigDecimal.ZERO;
          BigDecimal freeMemory = BigDecimal.ZERO;
          for (Node n : nodes) {
            nodeNames.add(n.getMetadata().getName());
            Map<String, Quantity> alloc = n.getStatus().getAllocatable();
            BigDecimal cpu = amount(alloc == null ? null : alloc.get("cpu"));
            BigDecimal memory = amount(alloc == null ? null : alloc.get("memory"));
            fit.node(n.getMetadata().getName(), cpu, memory);
            freeCpu = freeCpu.add(cpu);
            freeMemory = freeMemory.add(memory);
          }
          for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if (pod.getSpec() == null
                || !nodeNames.contains(pod.getSpec().getNodeName())
                || "Succeeded".equals(phase)
                || "Failed".equals(phase)
                || reserved.contains(instanceLabel(pod))) {
              continue;
            }
            for (var c : pod.getSpec().getContainers()) {
              Map<String, Quantity> req =
                  c.getResources() == null ? null : c.getResources().getRequests();
              if (req != null) {
                freeCpu = freeCpu.subtract(amount(req.get("cpu")));
                freeMemory = freeMemory.subtract(amount(req.get("memory")));
                fit.bound(
                    pod.getSpec().getNodeName(), amount(req.get("cpu")), amount(req.get("memory")));
              }
            }
          }
          for (List<ManifestObject> held : inFlight.values()) {
            List<Requests.PodRequest> heldPods = Requests.pods(held, nodes.size());
            BigDecimal[] share = Requests.total(heldPods);
            freeCpu = freeCpu.subtract(share[0]);
            freeMemory = freeMemory.subtract(share[1]);
            fit.hold(heldPods);
          }
          List<Requests.PodRequest> wantedPods = Requests.pods(objects, nodes.size());
          BigDecimal[] wanted = Requests.total(wantedPods);
          List<String> shortages = new ArrayList<>();
          if (wanted[0].compareTo(freeCpu) > 0) {
            shortages.add(
                "CPU: requests "
                    + cores(wanted[0])
                    + ", free "
                    + cores(freeCpu.max(BigDecimal.ZERO))
                    + " (short by "
                    + cores(wanted[0].subtract(freeCpu.max(BigDecimal.ZERO)))
                    + ")");
          }
          if (wanted[1].compareTo(freeMemory) > 0) {
            shortages.add(
                "memory: requests "
                    + mebibytes(wanted[1])
                    + ", free "
                    + mebibytes(freeMemory.max(BigDecimal.ZERO))
                    + " (short by "
                    + mebibytes(wanted[1].subtract(freeMemory.max(BigDecimal.ZERO)))
                    + ")");
          }
          if (nodes.isEmpty()) {
            return "Cluster '" + cluster + "' has no ready, schedulable node to run the app on";
          }
          if (shortages.isEmpty()) {
            // Enough in total; each pod still needs one node with room for it.
            String unplaced = fit.place(wantedPods);
            if (unplaced != null) {
              shortages.add(unplaced);
            }
          }
          return shortages.isEmpty()
              ? null
              : "Not enough resources on cluster '"
                  + cluster
                  + "' for this app on its "
                  + nodes.size()
                  + " schedulable nodes: "
                  + String.join("; ", shortages)
                  + (inFlight.isEmpty()
                      ? ""
                      : " (free after the "
                          + inFlight.size()
                          + " install"
                          + (inFlight.size() == 1 ? "" : "s")
                          + " in progress there)")
                  + ". Lower the app's requests or free capacity first";
        });
  }

  private static String instanceLabel(Pod pod) {
    Map<String, String> labels = pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(InstanceLabels.INSTANCE);
  }

  // ---------------------------------------------------------------- apply and delete

  @Override
  public Mono<Void> ensureNamespace(String cluster, String namespace, Consumer<String> log) {
    return clients
        .call(
            cluster,
            client -> {
              Namespace existing = client.namespaces().withName(namespace).get();
              if (existing == null) {
                client
                    .resource(
                        new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(namespace)
                            .addToLabels(InstanceLabels.MANAGED_BY, InstanceLabels.RUNNEL)
                            .endMetadata()
                            .build())
                    .create();
                log.accept("created namespace " + namespace);
              } else {
                log.accept("namespace " + namespace + " exists");
              }
              return true;
            })
        .then();
  }

  @Override
  public Mono<Void> apply(
      String cluster, String namespace, List<ManifestObject> objects, Consumer<String> log) {
    return Flux.fromIterable(objects)
        .concatMap(
            o ->
                clients.call(
                    cluster,
                    client -> {
                      client
                          .resource(resource(client, o))
                          .fieldManager(FIELD_MANAGER)
                          .forceConflicts()
                          .serverSideApply();
                      log.accept("applied " + o.ref());
                      return true;
                    }))
        .then();
  }

  @Override
  public Mono<List<String>> missingCrds(String cluster, List<ManifestObject> crds) {
    if (crds.isEmpty()) {
      return Mono.just(List.of());
    }
    return clients.call(
        cluster,
        client -> {
          List<String> missing = new ArrayList<>();
          for (ManifestObject crd : crds) {
            if (client.apiextensions().v1().customResourceDefinitions().withName(crd.name()).get()
                == null) {
              missing.add(crd.name());
            }
          }
          return missing;
        });
  }

  @Override
  public Mono<Void> createMissingCrds(
      String cluster, List<ManifestObject> crds, Duration timeout, Consumer<String> log) {
    return Flux.fromIterable(crds)
        .concatMap(
            crd ->
                clients
                    .call(
                        cluster,
                        client -> {
                          var existing =
                              client
                                  .apiextensions()
                                  .v1()
                                  .customResourceDefinitions()
                                  .withName(crd.name())
                                  .get();
                          if (existing != null) {
                            log.accept(
                                crd.ref()
                                    + " exists; left as it is (CRDs are never upgraded or deleted)");
                            return true;
                          }
                          client
                              .resource(resource(client, crd))
                              .fieldManager(FIELD_MANAGER)
                              .forceConflicts()
                              .serverSideApply();
                          log.accept("created " + crd.ref());
                          return true;
                        })
                    .then(served(cluster, crd, timeout, log)))
        .then();
  }

  /** Completes once discovery lists the CRD's kind in every version it serves. */
  @SuppressWarnings("unchecked")
  private Mono<Void> served(
      String cluster, ManifestObject crd, Duration timeout, Consumer<String> log) {
    Map<String, Object> spec = (Map<String, Object>) crd.body().get("spec");
    String group = String.valueOf(spec.get("group"));
    String plural = String.valueOf(((Map<String, Object>) spec.get("names")).get("plural"));
    List<String> versions = new ArrayList<>();
    for (Object v : (List<Object>) spec.get("versions")) {
      if (v instanceof Map<?, ?> m && !Boolean.FALSE.equals(m.get("served"))) {
        versions.add(String.valueOf(m.get("name")));
      }
    }
    return Mono.defer(
            () ->
                clients.call(
                    cluster,
                    client -> {
                      for (String version : versions) {
                        var list = client.getApiResources(group + "/" + version);
                        if (list == null
                            || list.getResources().stream()
                                .noneMatch(r -> plural.equals(r.getName()))) {
                          return false;
                        }
                      }
                      return true;
                    }))
        .filter(Boolean::booleanValue)
        .repeatWhenEmpty(attempts -> attempts.delayElements(Duration.ofMillis(200)))
        .timeout(timeout)
        .onErrorMap(
            java.util.concurrent.TimeoutException.class,
            e ->
                new IllegalStateException(
                    "the API server did not serve "
                        + crd.ref()
                        + " within "
                        + timeout.toSeconds()
                        + " s"))
        .doOnNext(ok -> log.accept(crd.ref() + " is served (" + String.join(", ", versions) + ")"))
        .then();
  }

  @Override
  public Mono<Void> delete(
      String cluster, String namespace, List<ManifestObject> objects, Consumer<String> log) {
    List<ManifestObject> reversed = new ArrayList<>(objects);
    reversed.sort(Comparator.comparingInt(ManifestObject::installOrder).reversed());
    return Flux.fromIterable(reversed)
        .concatMap(
            o ->
                clients.call(
                    cluster,
                    client -> {
                      client
                          .resource(resource(client, o))
                          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                          .delete();
                      log.accept("deleted " + o.ref());
                      return true;
                    }))
        .then();
  }

  @Override
  public Mono<Void> runHook(
      String cluster, String namespace, Hook hook, Duration timeout, Consumer<String> log) {
    ManifestObject o = hook.object();
    return clients
        .call(
            cluster,
            client -> {
              GenericKubernetesResource res = resource(client, o);
              if (hook.deletePolicies().contains("before-hook-creation")) {
                client
                    .resource(res)
                    .withPropagationPolicy(DeletionPropagation.FOREGROUND)
                    .withTimeout(timeout.toSeconds(), TimeUnit.SECONDS)
                    .delete();
              }
              client.resource(res).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
              log.accept("hook " + o.ref() + " created");
              return true;
            })
        .then(waitForHook(cluster, o, timeout))
        .flatMap(
            failure ->
                cleanUpHook(cluster, hook, failure.isEmpty(), log)
                    .then(
                        failure.isEmpty()
                            ? Mono.<Void>fromRunnable(
                                () -> log.accept("hook " + o.ref() + " succeeded"))
                            : Mono.<Void>error(
                                new IllegalStateException(
                                    "hook " + o.ref() + " failed: " + failure))));
  }

  /** Empty when the hook succeeded, else why it failed. Only Jobs and Pods are waited for. */
  private Mono<String> waitForHook(String cluster, ManifestObject o, Duration timeout) {
    if (!"Job".equals(o.kind()) && !"Pod".equals(o.kind())) {
      return Mono.just("");
    }
    return health(cluster, o.namespace(), null, List.of(o), Set.of())
        .map(s -> s.objects().isEmpty() ? null : s.objects().get(0))
        .filter(
            h ->
                h != null
                    && (h.status() == HealthStatus.HEALTHY || h.status() == HealthStatus.DEGRADED))
        .next()
        .timeout(timeout)
        .map(h -> h.status() == HealthStatus.HEALTHY ? "" : h.message())
        .onErrorMap(
            java.util.concurrent.TimeoutException.class,
            e ->
                new IllegalStateException(
                    "hook " + o.ref() + " did not finish within " + timeout.toSeconds() + " s"));
  }

  private Mono<Void> cleanUpHook(
      String cluster, Hook hook, boolean succeeded, Consumer<String> log) {
    boolean delete =
        succeeded
            ? hook.deletePolicies().contains("hook-succeeded")
            : hook.deletePolicies().contains("hook-failed");
    if (!delete) {
      return Mono.empty();
    }
    return clients
        .call(
            cluster,
            client -> {
              client
                  .resource(resource(client, hook.object()))
                  .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                  .delete();
              log.accept("hook " + hook.object().ref() + " deleted (policy)");
              return true;
            })
        .then();
  }

  @Override
  public Mono<Void> deleteLabelled(
      String cluster,
      String namespace,
      UUID instanceId,
      List<ManifestObject> objects,
      boolean purgeData,
      Consumer<String> log) {
    Map<String, String[]> kinds = new LinkedHashMap<>();
    for (String[] k : ALWAYS_DELETED) {
      kinds.put(k[0] + "|" + k[1], k);
    }
    List<ManifestObject> clusterScoped = new ArrayList<>();
    for (ManifestObject o : objects) {
      if (o.namespace() == null) {
        clusterScoped.add(o);
      } else if (!"PersistentVolumeClaim".equals(o.kind())) {
        kinds.putIfAbsent(o.apiVersion() + "|" + o.kind(), new String[] {o.apiVersion(), o.kind()});
      }
    }
    if (purgeData) {
      kinds.put("v1|PersistentVolumeClaim", new String[] {"v1", "PersistentVolumeClaim"});
    }
    return Flux.fromIterable(kinds.values())
        .concatMap(
            k ->
                clients.call(
                    cluster,
                    client -> {
                      var deleted =
                          client
                              .genericKubernetesResources(k[0], k[1])
                              .inNamespace(namespace)
                              .withLabel(InstanceLabels.INSTANCE, instanceId.toString())
                              .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                              .delete();
                      if (!deleted.isEmpty()) {
                        log.accept(
                            "deleted "
                                + deleted.size()
                                + " "
                                + k[1]
                                + (deleted.size() == 1 ? "" : "s"));
                      }
                      return true;
                    }))
        .then(
            purgeData ? deleteClaimsOfStatefulSets(cluster, namespace, objects, log) : Mono.empty())
        .then(delete(cluster, namespace, clusterScoped, log))
        .then(
            purgeData
                ? Mono.empty()
                : Mono.fromRunnable(
                    () -> log.accept("persistent volume claims kept (purgeData=false)")));
  }

  /**
   * Claims a StatefulSet made from its templates are named {@code <template>-<set>-<ordinal>}; they
   * are found by that name too, since not every cluster copies template labels onto them.
   */
  @SuppressWarnings("unchecked")
  private Mono<Void> deleteClaimsOfStatefulSets(
      String cluster, String namespace, List<ManifestObject> objects, Consumer<String> log) {
    List<java.util.regex.Pattern> names = new ArrayList<>();
    for (ManifestObject o : objects) {
      if ("StatefulSet".equals(o.kind())
          && o.body().get("spec") instanceof Map<?, ?> spec
          && spec.get("volumeClaimTemplates") instanceof List<?> templates) {
        for (Object t : templates) {
          if (t instanceof Map<?, ?> m && m.get("metadata") instanceof Map<?, ?> md) {
            names.add(
                java.util.regex.Pattern.compile(
                    java.util.regex.Pattern.quote(md.get("name") + "-" + o.name() + "-")
                        + "[0-9]+"));
          }
        }
      }
    }
    if (names.isEmpty()) {
      return Mono.empty();
    }
    return clients
        .call(
            cluster,
            client -> {
              for (var claim :
                  client.persistentVolumeClaims().inNamespace(namespace).list().getItems()) {
                String name = claim.getMetadata().getName();
                if (names.stream().anyMatch(p -> p.matcher(name).matches())) {
                  client.persistentVolumeClaims().inNamespace(namespace).withName(name).delete();
                  log.accept("deleted PersistentVolumeClaim " + name);
                }
              }
              return true;
            })
        .then();
  }

  // ---------------------------------------------------------------- stop, start, restart

  @Override
  public Mono<Map<String, Integer>> stop(
      String cluster, String namespace, List<ManifestObject> objects, Consumer<String> log) {
    return clients.call(
        cluster,
        client -> {
          Map<String, Integer> remembered = new LinkedHashMap<>();
          for (ManifestObject o : objects) {
            if (SCALABLE.contains(o.kind())) {
              GenericKubernetesResource live = live(client, o);
              int replicas = live == null ? desiredReplicas(o) : replicas(live, desiredReplicas(o));
              remembered.put(o.ref(), replicas);
              scale(client, o, 0);
              log.accept("scaled " + o.ref() + " from " + replicas + " to 0");
            } else if ("CronJob".equals(o.kind())) {
              patch(client, o, "{\"spec\":{\"suspend\":true}}");
              log.accept("suspended " + o.ref());
            }
          }
          return remembered;
        });
  }

  @Override
  public Mono<Void> start(
      String cluster,
      String namespace,
      List<ManifestObject> objects,
      Map<String, Integer> replicas,
      Consumer<String> log) {
    return clients
        .call(
            cluster,
            client -> {
              for (ManifestObject o : objects) {
                if (SCALABLE.contains(o.kind())) {
                  int target = replicas.getOrDefault(o.ref(), desiredReplicas(o));
                  scale(client, o, target);
                  log.accept("scaled " + o.ref() + " to " + target);
                } else if ("CronJob".equals(o.kind())) {
                  patch(client, o, "{\"spec\":{\"suspend\":" + desiredSuspend(o) + "}}");
                  log.accept("resumed " + o.ref());
                }
              }
              return true;
            })
        .then();
  }

  @Override
  public Mono<Void> restart(
      String cluster,
      String namespace,
      List<ManifestObject> objects,
      Instant at,
      Consumer<String> log) {
    return clients
        .call(
            cluster,
            client -> {
              for (ManifestObject o : objects) {
                if (List.of("Deployment", "StatefulSet", "DaemonSet").contains(o.kind())) {
                  patch(
                      client,
                      o,
                      "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\""
                          + RESTARTED_AT
                          + "\":\""
                          + at
                          + "\"}}}}}");
                  log.accept("restarting " + o.ref());
                }
              }
              return true;
            })
        .then();
  }

  // ---------------------------------------------------------------- health and the live tree

  @Override
  public Mono<Set<String>> pods(String cluster, String namespace, UUID instanceId) {
    return clients.call(
        cluster,
        client ->
            client
                .pods()
                .inNamespace(namespace)
                .withLabel(InstanceLabels.INSTANCE, instanceId.toString())
                .list()
                .getItems()
                .stream()
                .map(pod -> pod.getMetadata().getName())
                .collect(java.util.stream.Collectors.toSet()));
  }

  @Override
  public Flux<HealthSnapshot> health(
      String cluster,
      String namespace,
      UUID instanceId,
      List<ManifestObject> objects,
      Set<String> olderPods) {
    List<ManifestObject> tracked =
        objects.stream().filter(o -> HealthAssessor.hasHealth(o.apiVersion(), o.kind())).toList();
    return clients
        .client(cluster)
        .flatMapMany(
            client ->
                Flux.<HealthSnapshot>create(
                        sink ->
                            watchHealth(client, namespace, instanceId, tracked, olderPods, sink))
                    .subscribeOn(Schedulers.boundedElastic()))
        .onErrorMap(e -> KubeClients.describe(cluster, e));
  }

  private void watchHealth(
      KubernetesClient client,
      String namespace,
      UUID instanceId,
      List<ManifestObject> tracked,
      Set<String> olderPods,
      FluxSink<HealthSnapshot> sink) {
    LiveObjects live = new LiveObjects();
    List<Watch> watches = new CopyOnWriteArrayList<>();
    sink.onDispose(() -> watches.forEach(Watch::close));
    Map<String, String[]> kinds = new LinkedHashMap<>();
    for (ManifestObject o : tracked) {
      kinds.putIfAbsent(o.apiVersion() + "|" + o.kind(), new String[] {o.apiVersion(), o.kind()});
    }
    if (instanceId != null) {
      kinds.putIfAbsent("v1|Pod", new String[] {"v1", "Pod"});
    }
    Runnable emit = () -> sink.next(snapshot(tracked, live.now(), instanceId != null, olderPods));
    try {
      for (String[] k : kinds.values()) {
        var op = client.genericKubernetesResources(k[0], k[1]).inNamespace(namespace);
        Watcher<GenericKubernetesResource> watcher =
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, GenericKubernetesResource r) {
                live.watched(action == Action.DELETED, r);
                emit.run();
              }

              @Override
              public void onClose(WatcherException cause) {
                if (cause != null) {
                  sink.error(cause);
                }
              }
            };
        if (instanceId != null) {
          watches.add(op.withLabel(InstanceLabels.INSTANCE, instanceId.toString()).watch(watcher));
          op.withLabel(InstanceLabels.INSTANCE, instanceId.toString())
              .list()
              .getItems()
              .forEach(live::listed);
        } else {
          for (ManifestObject o : tracked) {
            if (o.kind().equals(k[1])) {
              watches.add(op.withName(o.name()).watch(watcher));
              GenericKubernetesResource r = op.withName(o.name()).get();
              if (r != null) {
                live.listed(r);
              }
            }
          }
        }
      }
      emit.run();
    } catch (KubernetesClientException e) {
      sink.error(e);
    }
  }

  private static HealthSnapshot snapshot(
      List<ManifestObject> tracked,
      Map<String, GenericKubernetesResource> live,
      boolean pods,
      Set<String> olderPods) {
    Map<String, LiveObject> assessed = new LinkedHashMap<>();
    live.forEach((ref, r) -> assessed.put(ref, assessed(r)));
    return InstanceHealth.of(tracked, assessed, pods, olderPods);
  }

  /** The object as the shared health rule sees it. */
  static LiveObject assessed(GenericKubernetesResource r) {
    return new LiveObject(
        r.getApiVersion(),
        r.getKind(),
        r.getMetadata().getName(),
        HealthAssessor.assess(r).orElse(null));
  }

  @Override
  public Mono<List<ObjectHealth>> resources(
      String cluster, String namespace, UUID instanceId, List<ManifestObject> objects) {
    return clients.call(
        cluster,
        client -> {
          Map<String, String[]> kinds = new LinkedHashMap<>();
          for (ManifestObject o : objects) {
            if (o.namespace() != null) {
              kinds.putIfAbsent(
                  o.apiVersion() + "|" + o.kind(), new String[] {o.apiVersion(), o.kind()});
            }
          }
          kinds.putIfAbsent("apps/v1|ReplicaSet", new String[] {"apps/v1", "ReplicaSet"});
          kinds.putIfAbsent("v1|Pod", new String[] {"v1", "Pod"});
          kinds.putIfAbsent(
              "v1|PersistentVolumeClaim", new String[] {"v1", "PersistentVolumeClaim"});
          List<GenericKubernetesResource> all = new ArrayList<>();
          for (String[] k : kinds.values()) {
            all.addAll(
                client
                    .genericKubernetesResources(k[0], k[1])
                    .inNamespace(namespace)
                    .withLabel(InstanceLabels.INSTANCE, instanceId.toString())
                    .list()
                    .getItems());
          }
          Map<String, GenericKubernetesResource> byRef = new LinkedHashMap<>();
          Map<String, List<GenericKubernetesResource>> childrenOf = new LinkedHashMap<>();
          for (GenericKubernetesResource r : all) {
            byRef.put(r.getKind() + "/" + r.getMetadata().getName(), r);
            List<OwnerReference> owners = r.getMetadata().getOwnerReferences();
            if (owners != null) {
              for (OwnerReference owner : owners) {
                childrenOf.computeIfAbsent(owner.getUid(), u -> new ArrayList<>()).add(r);
              }
            }
          }
          List<ObjectHealth> tree = new ArrayList<>();
          for (ManifestObject o : objects) {
            GenericKubernetesResource r = byRef.get(o.ref());
            if (r == null && o.namespace() == null) {
              r =
                  client
                      .genericKubernetesResources(o.apiVersion(), o.kind())
                      .withName(o.name())
                      .get();
            }
            if (r == null) {
              Health missing = HealthAssessor.missing();
              tree.add(
                  new ObjectHealth(
                      o.apiVersion(),
                      o.kind(),
                      o.name(),
                      missing.status(),
                      missing.message(),
                      List.of()));
            } else {
              tree.add(node(r, childrenOf, 0));
            }
          }
          return tree;
        });
  }

  private static ObjectHealth node(
      GenericKubernetesResource r,
      Map<String, List<GenericKubernetesResource>> childrenOf,
      int depth) {
    Health h = HealthAssessor.assess(r).orElse(null);
    List<ObjectHealth> children = new ArrayList<>();
    if (depth < 4) {
      for (GenericKubernetesResource c :
          childrenOf.getOrDefault(r.getMetadata().getUid(), List.of())) {
        children.add(node(c, childrenOf, depth + 1));
      }
    }
    children.sort(Comparator.comparing(ObjectHealth::kind).thenComparing(ObjectHealth::name));
    return new ObjectHealth(
        r.getApiVersion(),
        r.getKind(),
        r.getMetadata().getName(),
        h == null ? null : h.status(),
        h == null ? null : h.message(),
        children);
  }

  // ---------------------------------------------------------------- helpers

  private static GenericKubernetesResource resource(KubernetesClient client, ManifestObject o) {
    return client
        .getKubernetesSerialization()
        .convertValue(o.body(), GenericKubernetesResource.class);
  }

  private static GenericKubernetesResource live(KubernetesClient client, ManifestObject o) {
    return client
        .genericKubernetesResources(o.apiVersion(), o.kind())
        .inNamespace(o.namespace())
        .withName(o.name())
        .get();
  }

  private static void scale(KubernetesClient client, ManifestObject o, int replicas) {
    patch(client, o, "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  private static void patch(KubernetesClient client, ManifestObject o, String mergePatch) {
    client
        .genericKubernetesResources(o.apiVersion(), o.kind())
        .inNamespace(o.namespace())
        .withName(o.name())
        .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  @SuppressWarnings("unchecked")
  private static int desiredReplicas(ManifestObject o) {
    Object spec = o.body().get("spec");
    if (spec instanceof Map<?, ?> s && s.get("replicas") instanceof Number n) {
      return n.intValue();
    }
    return 1;
  }

  private static boolean desiredSuspend(ManifestObject o) {
    Object spec = o.body().get("spec");
    return spec instanceof Map<?, ?> s && Boolean.TRUE.equals(s.get("suspend"));
  }

  @SuppressWarnings("unchecked")
  private static int replicas(GenericKubernetesResource live, int fallback) {
    Object spec = live.getAdditionalProperties().get("spec");
    if (spec instanceof Map<?, ?> s && s.get("replicas") instanceof Number n) {
      return n.intValue();
    }
    return fallback;
  }

  private static boolean schedulable(Node n) {
    if (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
      return false;
    }
    return n.getStatus() != null
        && n.getStatus().getConditions() != null
        && n.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static BigDecimal amount(Quantity q) {
    return q == null ? BigDecimal.ZERO : q.getNumericalAmount();
  }

  private static String cores(BigDecimal cpu) {
    return cpu.setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + " CPU";
  }

  private static String mebibytes(BigDecimal bytes) {
    return bytes.divide(BigDecimal.valueOf(1024L * 1024), 0, RoundingMode.HALF_UP).toPlainString()
        + " MiB";
  }
}
