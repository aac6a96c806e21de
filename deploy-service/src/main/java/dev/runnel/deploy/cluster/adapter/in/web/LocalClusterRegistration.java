package dev.runnel.deploy.cluster.adapter.in.web;

import dev.runnel.deploy.cluster.application.ManageClusters;
import dev.runnel.deploy.config.DeployProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Registers (or refreshes) the cluster {@code local} from {@code
 * runnel.deploy.local-cluster.kubeconfig} at start, so {@code ./runnel up} lands on its sandbox
 * without a manual step. A failure is logged and the service runs on: the cluster can still be
 * registered through the API.
 */
@Component
class LocalClusterRegistration {
  private static final Logger log = LoggerFactory.getLogger(LocalClusterRegistration.class);
  private final ManageClusters clusters;
  private final DeployProperties properties;

  LocalClusterRegistration(ManageClusters clusters, DeployProperties properties) {
    this.clusters = clusters;
    this.properties = properties;
  }

  @EventListener(ApplicationReadyEvent.class)
  void registerLocal() {
    String file = properties.localCluster().kubeconfig();
    if (file == null || file.isBlank()) {
      return;
    }
    // `runnel up` starts the simulated cluster beside this service: its kubeconfig may not be
    // written yet, or its API not answering, when this service is ready. Keep trying for a while.
    Mono.fromCallable(() -> Files.readString(Path.of(file), StandardCharsets.UTF_8))
        .flatMap(kubeconfig -> clusters.registerOrUpdateLocal(kubeconfig))
        .timeout(Duration.ofSeconds(60))
        .doOnError(
            e -> log.info("cluster 'local' not registered from {} yet: {}", file, describe(e)))
        .retryWhen(Retry.fixedDelay(ATTEMPTS - 1, Duration.ofSeconds(2)))
        .subscribe(
            c ->
                log.info(
                    "cluster 'local' registered from {} ({}, {} nodes{})",
                    file,
                    c.kubernetesVersion(),
                    c.nodeCount(),
                    c.simulated() ? ", simulated" : ""),
            e ->
                log.warn(
                    "cluster 'local' not registered from {} after {} attempts: {}",
                    file,
                    ATTEMPTS,
                    describe(e)));
  }

  /** About five minutes of attempts, two seconds apart. */
  private static final int ATTEMPTS = 150;

  private static String describe(Throwable e) {
    Throwable cause = Exceptions.unwrap(e);
    if (Exceptions.isRetryExhausted(e) && e.getCause() != null) {
      cause = e.getCause();
    }
    if (cause instanceof IOException) {
      return "cannot read the kubeconfig file (" + cause.getMessage() + ")";
    }
    return cause.getMessage();
  }
}
