package dev.runnel.deploy.instance.adapter.in.web;

import dev.runnel.deploy.instance.application.InstallCommand;
import dev.runnel.deploy.instance.application.InstanceOperations;
import dev.runnel.deploy.instance.application.InstanceQueries;
import dev.runnel.deploy.instance.application.OperationQueue;
import dev.runnel.deploy.instance.application.UpgradeCommand;
import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.instance.domain.ObjectHealth;
import dev.runnel.deploy.instance.domain.Operation;
import dev.runnel.deploy.instance.domain.Revision;
import dev.runnel.kit.security.Callers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /api/deploy/v1/instances}: team members and team admins change their team's instances;
 * viewers and auditors read; another team's instance is 404. Changes answer {@code 202} with the
 * operation that carries them out.
 */
@RestController
@RequestMapping("/api/deploy/v1/instances")
class InstancesController {
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private final InstanceOperations operations;
  private final InstanceQueries queries;
  private final OperationQueue queue;

  InstancesController(
      InstanceOperations operations, InstanceQueries queries, OperationQueue queue) {
    this.operations = operations;
    this.queries = queries;
    this.queue = queue;
  }

  @PostMapping
  Mono<ResponseEntity<OperationResponse>> install(
      @Valid @RequestBody InstallRequest request,
      @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
    return Mono.zip(Callers.current(), token())
        .flatMap(
            t ->
                operations.install(
                    new InstallCommand(
                        request.cluster(),
                        request.namespace(),
                        request.team(),
                        request.name(),
                        request.repository(),
                        request.chart(),
                        request.version(),
                        request.values(),
                        t.getT1(),
                        t.getT2(),
                        key)))
        .map(this::accepted);
  }

  @GetMapping
  Mono<InstanceListResponse> list(
      @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "50") int limit) {
    return Callers.current()
        .flatMap(c -> queries.list(c, cursor, limit))
        .map(
            page ->
                new InstanceListResponse(
                    page.items().stream().map(InstanceResponse::of).toList(), page.nextCursor()));
  }

  @GetMapping("/{id}")
  Mono<InstanceResponse> get(@PathVariable UUID id) {
    return Callers.current().flatMap(c -> queries.get(c, id)).map(InstanceResponse::of);
  }

  @GetMapping("/{id}/resources")
  Mono<ResourcesResponse> resources(@PathVariable UUID id) {
    return Callers.current().flatMap(c -> queries.resources(c, id)).map(ResourcesResponse::of);
  }

  @GetMapping("/{id}/revisions")
  Mono<RevisionListResponse> revisions(@PathVariable UUID id) {
    return Callers.current()
        .flatMapMany(c -> queries.revisions(c, id))
        .map(RevisionResponse::of)
        .collectList()
        .map(RevisionListResponse::new);
  }

  @GetMapping("/{id}/operations")
  Mono<OperationListResponse> timeline(
      @PathVariable UUID id, @RequestParam(defaultValue = "50") int limit) {
    return Callers.current()
        .flatMapMany(c -> queries.timeline(c, id, limit))
        .map(op -> OperationResponse.of(op, queue))
        .collectList()
        .map(OperationListResponse::new);
  }

  @PostMapping("/{id}/upgrade")
  Mono<ResponseEntity<?>> upgrade(
      @PathVariable UUID id,
      @Valid @RequestBody UpgradeRequest request,
      @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
    return Mono.zip(Callers.current(), token())
        .flatMap(
            t -> {
              UpgradeCommand command =
                  new UpgradeCommand(
                      id,
                      request.version(),
                      request.values(),
                      Boolean.TRUE.equals(request.dryRun()),
                      t.getT1(),
                      t.getT2(),
                      key);
              return command.dryRun()
                  ? operations.previewUpgrade(command).map(p -> ResponseEntity.ok(p))
                  : operations.upgrade(command).map(this::accepted);
            });
  }

  @PostMapping("/{id}/rollback")
  Mono<ResponseEntity<OperationResponse>> rollback(
      @PathVariable UUID id,
      @Valid @RequestBody RollbackRequest request,
      @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
    return Callers.current()
        .flatMap(c -> operations.rollback(id, request.revision(), c, key))
        .map(this::accepted);
  }

  @PostMapping("/{id}/stop")
  Mono<ResponseEntity<OperationResponse>> stop(
      @PathVariable UUID id, @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
    return Callers.current().flatMap(c -> operations.stop(id, c, key)).map(this::accepted);
  }

  @PostMapping("/{id}/start")
  Mono<ResponseEntity<OperationResponse>> start(
      @PathVariable UUID id, @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
    return Callers.current().flatMap(c -> operations.start(id, c, key)).map(this::accepted);
  }

  @PostMapping("/{id}/restart")
  Mono<ResponseEntity<OperationResponse>> restart(
      @PathVariable UUID id, @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
    return Callers.current().flatMap(c -> operations.restart(id, c, key)).map(this::accepted);
  }

  @DeleteMapping("/{id}")
  Mono<ResponseEntity<OperationResponse>> delete(
      @PathVariable UUID id,
      @RequestParam(defaultValue = "false") boolean purgeData,
      @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
    return Callers.current()
        .flatMap(c -> operations.delete(id, purgeData, c, key))
        .map(this::accepted);
  }

  private ResponseEntity<OperationResponse> accepted(Operation op) {
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .location(URI.create("/api/deploy/v1/operations/" + op.id()))
        .body(OperationResponse.of(op, queue));
  }

  /** The caller's bearer token, relayed to market-service. */
  private static Mono<String> token() {
    return ReactiveSecurityContextHolder.getContext()
        .map(c -> c.getAuthentication())
        .filter(JwtAuthenticationToken.class::isInstance)
        .map(a -> ((JwtAuthenticationToken) a).getToken().getTokenValue());
  }

  record InstallRequest(
      @NotBlank @Size(max = 63) String cluster,
      @NotBlank @Size(max = 63) String namespace,
      @NotBlank @Size(max = 63) String team,
      @NotBlank @Size(max = 53) String name,
      @NotBlank @Size(max = 128) String repository,
      @NotBlank @Size(max = 128) String chart,
      @NotBlank @Size(max = 64) String version,
      Map<String, Object> values) {}

  record UpgradeRequest(
      @Size(max = 64) String version, Map<String, Object> values, Boolean dryRun) {}

  record RollbackRequest(@NotNull @Min(1) Integer revision) {}

  record InstanceResponse(
      UUID id,
      String team,
      String cluster,
      String namespace,
      String name,
      String repository,
      String chart,
      String version,
      String state,
      String health,
      int revision,
      Instant createdAt,
      Instant updatedAt) {
    static InstanceResponse of(Instance i) {
      return new InstanceResponse(
          i.id(),
          i.team(),
          i.cluster(),
          i.namespace(),
          i.name(),
          i.repository(),
          i.chart(),
          i.version(),
          i.state().label(),
          i.health().label(),
          i.revision(),
          i.createdAt(),
          i.updatedAt());
    }
  }

  record InstanceListResponse(List<InstanceResponse> items, String nextCursor) {}

  record ResourcesResponse(List<ResourceNode> items) {
    static ResourcesResponse of(List<ObjectHealth> objects) {
      return new ResourcesResponse(objects.stream().map(ResourceNode::of).toList());
    }
  }

  record ResourceNode(
      String apiVersion,
      String kind,
      String name,
      String health,
      String message,
      List<ResourceNode> children) {
    static ResourceNode of(ObjectHealth h) {
      return new ResourceNode(
          h.apiVersion(),
          h.kind(),
          h.name(),
          h.status() == null ? null : h.status().label(),
          h.message(),
          h.children().stream().map(ResourceNode::of).toList());
    }
  }

  record RevisionResponse(
      int number,
      String chartVersion,
      String status,
      String values,
      String manifest,
      String hooks,
      UUID operationId,
      Instant createdAt) {
    static RevisionResponse of(Revision r) {
      return new RevisionResponse(
          r.number(),
          r.chartVersion(),
          r.status(),
          r.userValues(),
          r.manifest(),
          r.hooks(),
          r.operationId(),
          r.createdAt());
    }
  }

  record RevisionListResponse(List<RevisionResponse> items) {}

  record OperationListResponse(List<OperationResponse> items) {}
}
