package dev.runnel.deploy.instance.application;

import dev.runnel.deploy.instance.domain.HealthSnapshot;
import dev.runnel.deploy.instance.domain.Hook;
import dev.runnel.deploy.instance.domain.ManifestObject;
import dev.runnel.deploy.instance.domain.ObjectHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The Kubernetes side of instances. Every method reports what it does through {@code log}. */
public interface Workloads {
  /**
   * Empty when the objects fit what schedulable nodes can still allocate, else what is short.
   * {@code inFlight}: installs already accepted by this check and not finished, by instance id;
   * they count with their rendered requests, and their pods (some may exist already) are not
   * counted a second time.
   */
  Mono<String> capacityShortfall(
      String cluster, List<ManifestObject> objects, Map<UUID, List<ManifestObject>> inFlight);

  Mono<Void> ensureNamespace(String cluster, String namespace, Consumer<String> log);

  /** Server-side apply, field manager {@code runnel}, forced, in the given order. */
  Mono<Void> apply(
      String cluster, String namespace, List<ManifestObject> objects, Consumer<String> log);

  /** Names of the given CustomResourceDefinitions the cluster does not have. */
  Mono<List<String>> missingCrds(String cluster, List<ManifestObject> crds);

  /**
   * Creates the chart's CustomResourceDefinitions that the cluster does not have yet (server-side
   * apply, field manager {@code runnel}) and waits until the API server serves every one's kind in
   * each served version. CRDs that exist are left as they are, as Helm leaves them.
   */
  Mono<Void> createMissingCrds(
      String cluster, List<ManifestObject> crds, Duration timeout, Consumer<String> log);

  /** Creates the hook, waits for Jobs and Pods to finish, deletes it as its policy says. */
  Mono<Void> runHook(
      String cluster, String namespace, Hook hook, Duration timeout, Consumer<String> log);

  Mono<Void> delete(
      String cluster, String namespace, List<ManifestObject> objects, Consumer<String> log);

  /**
   * The instance's health now and after every change the cluster reports (watches). Pods named in
   * {@code olderPods} existed before the change being waited for and do not count: a rollout
   * replaces them.
   */
  Flux<HealthSnapshot> health(
      String cluster,
      String namespace,
      UUID instanceId,
      List<ManifestObject> objects,
      java.util.Set<String> olderPods);

  /** Names of the instance's pods now. */
  Mono<java.util.Set<String>> pods(String cluster, String namespace, UUID instanceId);

  /** Scales workloads to zero and suspends CronJobs; returns the replicas to restore. */
  Mono<Map<String, Integer>> stop(
      String cluster, String namespace, List<ManifestObject> objects, Consumer<String> log);

  Mono<Void> start(
      String cluster,
      String namespace,
      List<ManifestObject> objects,
      Map<String, Integer> replicas,
      Consumer<String> log);

  Mono<Void> restart(
      String cluster,
      String namespace,
      List<ManifestObject> objects,
      Instant at,
      Consumer<String> log);

  /** Deletes everything labelled with the instance (PVCs only when {@code purgeData}). */
  Mono<Void> deleteLabelled(
      String cluster,
      String namespace,
      UUID instanceId,
      List<ManifestObject> objects,
      boolean purgeData,
      Consumer<String> log);

  /** The live tree: rendered objects with the objects they own, each with its health. */
  Mono<List<ObjectHealth>> resources(
      String cluster, String namespace, UUID instanceId, List<ManifestObject> objects);
}
