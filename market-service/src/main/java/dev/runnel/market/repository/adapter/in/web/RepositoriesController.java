package dev.runnel.market.repository.adapter.in.web;

import dev.runnel.kit.security.Caller;
import dev.runnel.kit.security.Callers;
import dev.runnel.market.operation.domain.Operation;
import dev.runnel.market.repository.application.ManageRepositories;
import dev.runnel.market.repository.application.RepositoryCommands;
import dev.runnel.market.repository.domain.ChartRepository;
import dev.runnel.market.repository.domain.SyncStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /api/market/v1/repositories}: anyone signed in reads; platform admins change. Passwords
 * and tokens go in, never out: responses say only which kind of authentication is set.
 */
@RestController
@RequestMapping("/api/market/v1/repositories")
class RepositoriesController {
  private final ManageRepositories repositories;

  RepositoriesController(ManageRepositories repositories) {
    this.repositories = repositories;
  }

  @GetMapping
  Mono<RepositoryListResponse> list() {
    return Callers.current()
        .thenMany(repositories.list())
        .map(RepositoryResponse::of)
        .collectList()
        .map(RepositoryListResponse::new);
  }

  @GetMapping("/{name}")
  Mono<RepositoryResponse> get(@PathVariable String name) {
    return Callers.current().then(repositories.get(name)).map(RepositoryResponse::of);
  }

  @PostMapping
  Mono<ResponseEntity<RepositoryResponse>> add(@Valid @RequestBody AddRequest request) {
    return admin()
        .flatMap(
            caller ->
                repositories.add(
                    new RepositoryCommands.Add(
                        request.name(), request.settings(), caller.username())))
        .flatMap(result -> repositories.get(result.repository()))
        .map(
            r ->
                ResponseEntity.created(URI.create("/api/market/v1/repositories/" + r.name()))
                    .body(RepositoryResponse.of(r)));
  }

  @PutMapping("/{name}")
  Mono<RepositoryResponse> update(
      @PathVariable String name, @Valid @RequestBody UpdateRequest request) {
    return admin()
        .flatMap(
            caller ->
                repositories.update(
                    new RepositoryCommands.Update(name, request.settings(), caller.username())))
        .map(RepositoryResponse::of);
  }

  @DeleteMapping("/{name}")
  Mono<ResponseEntity<Void>> remove(@PathVariable String name) {
    return admin()
        .flatMap(
            caller -> repositories.remove(new RepositoryCommands.Remove(name, caller.username())))
        .thenReturn(ResponseEntity.noContent().build());
  }

  @PostMapping("/{name}/sync")
  Mono<ResponseEntity<OperationAccepted>> sync(
      @PathVariable String name,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
    return admin()
        .flatMap(caller -> repositories.syncNow(name, caller.username(), idempotencyKey))
        .map(
            o ->
                ResponseEntity.status(HttpStatus.ACCEPTED)
                    .location(URI.create("/api/market/v1/operations/" + o.id()))
                    .body(OperationAccepted.of(o)));
  }

  private static Mono<Caller> admin() {
    return Callers.current().map(c -> c.requirePlatformRole(Caller.PLATFORM_ADMIN));
  }

  record AddRequest(
      @NotBlank @Size(max = 40) String name,
      @NotBlank @Size(max = 2048) String url,
      @Size(max = 256) String username,
      @Size(max = 4096) String password,
      @Size(max = 4096) String token,
      @Size(max = 65536) String caPem,
      Long syncIntervalSeconds) {
    RepositoryCommands.Settings settings() {
      return new RepositoryCommands.Settings(
          url, username, password, token, caPem, syncIntervalSeconds);
    }

    @Override
    public String toString() {
      return "AddRequest[" + name + ", " + url + "]";
    }
  }

  record UpdateRequest(
      @NotBlank @Size(max = 2048) String url,
      @Size(max = 256) String username,
      @Size(max = 4096) String password,
      @Size(max = 4096) String token,
      @Size(max = 65536) String caPem,
      Long syncIntervalSeconds) {
    RepositoryCommands.Settings settings() {
      return new RepositoryCommands.Settings(
          url, username, password, token, caPem, syncIntervalSeconds);
    }

    @Override
    public String toString() {
      return "UpdateRequest[" + url + "]";
    }
  }

  record SyncResponse(
      Instant lastSyncAt,
      String result,
      String error,
      String indexSha256,
      int apps,
      int versions,
      int skipped) {
    static SyncResponse of(SyncStatus s) {
      return new SyncResponse(
          s.lastSyncAt(),
          s.result(),
          s.error(),
          s.indexSha256(),
          s.apps(),
          s.versions(),
          s.skipped());
    }
  }

  record RepositoryResponse(
      String name,
      String url,
      boolean builtin,
      String auth,
      String username,
      boolean customCa,
      long syncIntervalSeconds,
      SyncResponse sync,
      Instant createdAt,
      Instant updatedAt) {
    static RepositoryResponse of(ChartRepository r) {
      return new RepositoryResponse(
          r.name(),
          r.url(),
          r.builtin(),
          r.auth().kindName(),
          r.auth().username(),
          r.caPem() != null,
          r.syncInterval().toSeconds(),
          SyncResponse.of(r.status()),
          r.createdAt(),
          r.updatedAt());
    }
  }

  record RepositoryListResponse(List<RepositoryResponse> items) {}

  record OperationAccepted(
      String id, String kind, String target, String status, Instant createdAt) {
    static OperationAccepted of(Operation o) {
      return new OperationAccepted(
          o.id().toString(), o.kind(), o.target(), o.status(), o.createdAt());
    }
  }
}
