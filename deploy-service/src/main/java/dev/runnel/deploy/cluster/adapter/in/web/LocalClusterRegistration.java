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
    String kubeconfig;
    try {
      kubeconfig = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      log.warn(
          "cluster 'local' not registered: cannot read kubeconfig file {}: {}", file, e.toString());
      return;
    }
    clusters
        .registerOrUpdateLocal(kubeconfig)
        .timeout(Duration.ofSeconds(60))
        .subscribe(
            c ->
                log.info(
                    "cluster 'local' registered from {} ({}, {} nodes{})",
                    file,
                    c.kubernetesVersion(),
                    c.nodeCount(),
                    c.simulated() ? ", simulated" : ""),
            e -> log.warn("cluster 'local' not registered from {}: {}", file, e.getMessage()));
  }
}
