package dev.runnel.deploy.cluster.application;

import dev.runnel.deploy.cluster.domain.Cluster;
import dev.runnel.deploy.cluster.domain.InvalidClusterException;
import dev.runnel.deploy.cluster.domain.NodeInfo;
import dev.runnel.deploy.crypto.SecretCipher;
import dev.runnel.kit.problem.Problem;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Registers, lists and removes clusters. A cluster is stored only after Runnel reached it with the
 * given kubeconfig; the kubeconfig is sealed before it is stored and never leaves the service.
 */
@Service
public class ManageClusters {
  public static final String LOCAL = "local";
  private static final int MAX_KUBECONFIG = 128 * 1024;
  private static final Logger log = LoggerFactory.getLogger(ManageClusters.class);

  private final Clusters clusters;
  private final ClusterGateway gateway;
  private final SecretCipher cipher;
  private final Clock clock;

  public ManageClusters(
      Clusters clusters, ClusterGateway gateway, SecretCipher cipher, Clock clock) {
    this.clusters = clusters;
    this.gateway = gateway;
    this.cipher = cipher;
    this.clock = clock;
  }

  public Mono<Cluster> register(String rawName, String kubeconfig, String actor) {
    return Mono.defer(
            () -> {
              String name = Cluster.validName(rawName);
              requireKubeconfig(kubeconfig);
              cipher.requireConfigured();
              return clusters
                  .find(name)
                  .flatMap(
                      existing ->
                          Mono.<Cluster>error(
                              Problem.conflict(
                                  "A cluster named '"
                                      + name
                                      + "' is already registered; delete it first or choose"
                                      + " another name")))
                  .switchIfEmpty(
                      Mono.defer(
                          () ->
                              probe(kubeconfig)
                                  .flatMap(
                                      probe -> {
                                        Cluster cluster =
                                            Cluster.registered(name, probe, clock.instant());
                                        return clusters
                                            .save(cluster, cipher.seal(kubeconfig))
                                            .thenReturn(cluster);
                                      })));
            })
        .doOnNext(
            c -> {
              gateway.forget(c.name());
              log.info(
                  "cluster '{}' registered by {} ({}, {} nodes{})",
                  c.name(),
                  actor,
                  c.kubernetesVersion(),
                  c.nodeCount(),
                  c.simulated() ? ", simulated" : "");
            })
        .onErrorMap(InvalidClusterException.class, e -> Problem.invalid(e.field(), e.getMessage()));
  }

  /** Registers the cluster {@code local}, or refreshes its kubeconfig and facts. */
  public Mono<Cluster> registerOrUpdateLocal(String kubeconfig) {
    return probe(kubeconfig)
        .flatMap(
            probe ->
                clusters
                    .find(LOCAL)
                    .map(existing -> existing.refreshed(probe, clock.instant()))
                    .defaultIfEmpty(Cluster.registered(LOCAL, probe, clock.instant()))
                    .flatMap(c -> clusters.save(c, cipher.seal(kubeconfig)).thenReturn(c)))
        .doOnNext(c -> gateway.forget(c.name()));
  }

  public Mono<Cluster> get(String name) {
    return clusters.find(name).switchIfEmpty(Mono.error(() -> Problem.notFound("Cluster", name)));
  }

  public Flux<Cluster> list() {
    return clusters.all();
  }

  public Flux<NodeInfo> nodes(String name) {
    return get(name).flatMapMany(c -> gateway.nodes(c.name()));
  }

  public Mono<Void> delete(String name, String actor) {
    return get(name)
        .flatMap(
            c ->
                clusters
                    .countInstances(c.name())
                    .flatMap(
                        n ->
                            n > 0
                                ? Mono.error(
                                    Problem.conflict(
                                        "Cluster '"
                                            + c.name()
                                            + "' still runs "
                                            + n
                                            + (n == 1 ? " instance" : " instances")
                                            + "; delete them first"))
                                : clusters.delete(c.name())))
        .doOnSuccess(
            v -> {
              gateway.forget(name);
              log.info("cluster '{}' deleted by {}", name, actor);
            });
  }

  private Mono<dev.runnel.deploy.cluster.domain.ClusterProbe> probe(String kubeconfig) {
    return gateway.probe(kubeconfig);
  }

  private static void requireKubeconfig(String kubeconfig) {
    if (kubeconfig == null || kubeconfig.isBlank()) {
      throw new InvalidClusterException("kubeconfig", "must not be blank");
    }
    if (kubeconfig.length() > MAX_KUBECONFIG) {
      throw new InvalidClusterException(
          "kubeconfig", "must be at most " + MAX_KUBECONFIG / 1024 + " KiB");
    }
  }
}
