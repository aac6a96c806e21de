package dev.runnel.deploy.cluster.adapter.in.web;

import dev.runnel.deploy.cluster.application.ManageClusters;
import dev.runnel.deploy.cluster.domain.Cluster;
import dev.runnel.deploy.cluster.domain.NodeInfo;
import dev.runnel.kit.security.Caller;
import dev.runnel.kit.security.Callers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /api/deploy/v1/clusters}: platform admins register and delete; admins and auditors read.
 * Team members see clusters by name when they install, not here.
 */
@RestController
@RequestMapping("/api/deploy/v1/clusters")
class ClustersController {
  private final ManageClusters clusters;

  ClustersController(ManageClusters clusters) {
    this.clusters = clusters;
  }

  @PostMapping
  Mono<ResponseEntity<ClusterResponse>> register(@Valid @RequestBody RegisterRequest request) {
    return Callers.current()
        .map(c -> c.requirePlatformRole(Caller.PLATFORM_ADMIN))
        .flatMap(c -> clusters.register(request.name(), request.kubeconfig(), c.username()))
        .map(
            c ->
                ResponseEntity.created(URI.create("/api/deploy/v1/clusters/" + c.name()))
                    .body(ClusterResponse.of(c)));
  }

  @GetMapping
  Mono<ClusterListResponse> list() {
    return reader()
        .thenMany(clusters.list())
        .map(ClusterResponse::of)
        .collectList()
        .map(ClusterListResponse::new);
  }

  @GetMapping("/{name}")
  Mono<ClusterResponse> get(@PathVariable String name) {
    return reader().then(clusters.get(name)).map(ClusterResponse::of);
  }

  @GetMapping("/{name}/nodes")
  Mono<NodeListResponse> nodes(@PathVariable String name) {
    return reader().thenMany(clusters.nodes(name)).collectList().map(NodeListResponse::new);
  }

  @DeleteMapping("/{name}")
  Mono<ResponseEntity<Void>> delete(@PathVariable String name) {
    return Callers.current()
        .map(c -> c.requirePlatformRole(Caller.PLATFORM_ADMIN))
        .flatMap(c -> clusters.delete(name, c.username()))
        .thenReturn(ResponseEntity.noContent().build());
  }

  private static Mono<Caller> reader() {
    return Callers.current()
        .map(c -> c.requirePlatformRole(Caller.PLATFORM_ADMIN, Caller.PLATFORM_AUDITOR));
  }

  record RegisterRequest(
      @NotBlank @Size(max = 63) String name, @NotBlank @Size(max = 131072) String kubeconfig) {
    @Override
    public String toString() {
      // Never print the credential, even by accident in a log line.
      return "RegisterRequest[name=" + name + "]";
    }
  }

  record ClusterResponse(
      String name,
      String server,
      String kubernetesVersion,
      boolean simulated,
      int nodeCount,
      Instant createdAt,
      Instant updatedAt) {
    static ClusterResponse of(Cluster c) {
      return new ClusterResponse(
          c.name(),
          c.server(),
          c.kubernetesVersion(),
          c.simulated(),
          c.nodeCount(),
          c.createdAt(),
          c.updatedAt());
    }
  }

  record ClusterListResponse(List<ClusterResponse> items) {}

  record NodeListResponse(List<NodeInfo> items) {}
}
