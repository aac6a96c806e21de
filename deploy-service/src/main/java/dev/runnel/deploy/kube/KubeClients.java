package dev.runnel.deploy.kube;

import dev.runnel.deploy.config.DeployProperties;
import dev.runnel.kit.problem.Problem;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One fabric8 client per registered cluster, created on first use and cached until the cluster is
 * changed or deleted. Every call runs off the event loop (fabric8 blocks), inside the cluster's
 * bulkhead and time limit, so one slow cluster cannot starve the others or the service.
 */
@Component
public class KubeClients implements DisposableBean {
  private final SealedKubeconfigs kubeconfigs;
  private final DeployProperties.Kube settings;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /**
   * Kubernetes calls get threads of their own. On the shared boundedElastic pool they queued behind
   * chart renderings (200 installs requested at once render on it before their 202) while their
   * time limit ran, and failed as "did not answer in time" with the cluster idle
   * (bench/deploy-install.sh). The bulkhead bounds the calls per cluster; this bounds the threads.
   */
  private final Scheduler calls;

  private record Entry(KubernetesClient client, Bulkhead bulkhead, TimeLimiter limiter) {}

  public KubeClients(SealedKubeconfigs kubeconfigs, DeployProperties properties) {
    this.kubeconfigs = kubeconfigs;
    this.settings = properties.kube();
    this.calls =
        Schedulers.newBoundedElastic(
            Math.max(32, 4 * settings.maxConcurrentCalls()), 100_000, "kube-call", 60, true);
  }

  /** Runs a blocking call against the cluster's client, guarded; errors become problems. */
  public <T> Mono<T> call(String cluster, Function<KubernetesClient, T> work) {
    return entry(cluster)
        .flatMap(
            e ->
                Mono.fromCallable(() -> work.apply(e.client()))
                    .subscribeOn(calls)
                    .transformDeferred(TimeLimiterOperator.of(e.limiter()))
                    .transformDeferred(BulkheadOperator.of(e.bulkhead())))
        .onErrorMap(t -> !(t instanceof Problem), t -> describe(cluster, t));
  }

  /** The cached client, for long-lived watches that are not single calls. */
  public Mono<KubernetesClient> client(String cluster) {
    return entry(cluster).map(Entry::client);
  }

  /** A client for a kubeconfig that is not registered (yet), for the connectivity check. */
  public static KubernetesClient open(String kubeconfig, DeployProperties.Kube settings) {
    Config config = Config.fromKubeconfig(kubeconfig);
    int timeout = (int) settings.callTimeout().toMillis();
    config.setConnectionTimeout(Math.min(timeout, 10_000));
    config.setRequestTimeout(timeout);
    // Retrying inside the client would hide an unreachable cluster behind minutes of back-off.
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  public void forget(String cluster) {
    Entry e = entries.remove(cluster);
    if (e != null) {
      e.client().close();
    }
  }

  @Override
  public void destroy() {
    entries.keySet().forEach(this::forget);
    calls.dispose();
  }

  private Mono<Entry> entry(String cluster) {
    Entry cached = entries.get(cluster);
    if (cached != null) {
      return Mono.just(cached);
    }
    return kubeconfigs
        .kubeconfig(cluster)
        .switchIfEmpty(Mono.error(() -> Problem.notFound("Cluster", cluster)))
        .publishOn(Schedulers.boundedElastic())
        .map(
            kubeconfig ->
                entries.computeIfAbsent(
                    cluster,
                    name ->
                        new Entry(
                            open(kubeconfig, settings),
                            Bulkhead.of(
                                "kube-" + name,
                                BulkheadConfig.custom()
                                    .maxConcurrentCalls(settings.maxConcurrentCalls())
                                    .maxWaitDuration(settings.maxWaitForCall())
                                    .build()),
                            TimeLimiter.of(
                                "kube-" + name,
                                TimeLimiterConfig.custom()
                                    .timeoutDuration(settings.callTimeout())
                                    .build()))));
  }

  /** A message a person can act on, never a stack trace. */
  public static Problem describe(String cluster, Throwable t) {
    if (t instanceof Problem p) {
      return p;
    }
    if (t instanceof TimeoutException) {
      return Problem.unavailable(
          "Cluster '" + cluster + "' did not answer in time; check that its API server is up");
    }
    if (t instanceof BulkheadFullException) {
      return Problem.unavailable(
          "Cluster '" + cluster + "' is busy with other requests; try again shortly");
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof ConnectException) {
        break;
      }
      root = root.getCause();
    }
    if (root instanceof ConnectException
        || (t instanceof KubernetesClientException k && k.getCode() == 0)) {
      return Problem.unavailable(
          "Cluster '"
              + cluster
              + "' is unreachable: "
              + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()));
    }
    if (t instanceof KubernetesClientException k) {
      return Problem.unavailable(
          "Cluster '"
              + cluster
              + "' refused a request ("
              + k.getCode()
              + "): "
              + (k.getStatus() != null && k.getStatus().getMessage() != null
                  ? k.getStatus().getMessage()
                  : k.getMessage()));
    }
    return Problem.unavailable(
        "Cluster '" + cluster + "' call failed: " + t.getClass().getSimpleName());
  }
}
