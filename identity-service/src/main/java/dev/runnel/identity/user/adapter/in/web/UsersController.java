package dev.runnel.identity.user.adapter.in.web;

import dev.runnel.identity.user.application.ManageUsers;
import dev.runnel.identity.user.domain.User;
import dev.runnel.kit.security.Caller;
import dev.runnel.kit.security.Callers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /api/identity/v1/users}: platform admins manage users; auditors read them. Passwords
 * travel only inwards and are never answered or logged.
 */
@RestController
@RequestMapping("/api/identity/v1/users")
class UsersController {
  private final ManageUsers users;

  UsersController(ManageUsers users) {
    this.users = users;
  }

  @GetMapping
  Mono<UserListResponse> list(
      @RequestParam(required = false) String search,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") int limit) {
    return reader()
        .then(users.list(search, cursor, limit))
        .map(
            page ->
                new UserListResponse(
                    page.items().stream().map(UserResponse::of).toList(), page.nextCursor()));
  }

  @GetMapping("/{id}")
  Mono<UserResponse> get(@PathVariable String id) {
    return reader().then(users.get(id)).map(UserResponse::of);
  }

  @PostMapping
  Mono<ResponseEntity<UserResponse>> create(@Valid @RequestBody CreateUserRequest request) {
    return admin()
        .flatMap(
            caller ->
                users.create(
                    new ManageUsers.NewUserCommand(
                        request.username(),
                        request.email(),
                        request.firstName(),
                        request.lastName(),
                        request.password(),
                        request.temporaryPassword(),
                        request.platformRoles(),
                        caller.username())))
        .map(
            u ->
                ResponseEntity.created(URI.create("/api/identity/v1/users/" + u.id()))
                    .body(UserResponse.of(u)));
  }

  @PostMapping("/{id}/disable")
  Mono<UserResponse> disable(@PathVariable String id) {
    return admin().flatMap(c -> users.disable(id, c.username())).map(UserResponse::of);
  }

  @PostMapping("/{id}/enable")
  Mono<UserResponse> enable(@PathVariable String id) {
    return admin().flatMap(c -> users.enable(id, c.username())).map(UserResponse::of);
  }

  @DeleteMapping("/{id}")
  Mono<ResponseEntity<Void>> delete(@PathVariable String id) {
    return admin()
        .flatMap(c -> users.delete(id, c.username()))
        .thenReturn(ResponseEntity.noContent().build());
  }

  @PostMapping("/{id}/password")
  Mono<ResponseEntity<Void>> resetPassword(
      @PathVariable String id, @Valid @RequestBody ResetPasswordRequest request) {
    return admin()
        .flatMap(
            c ->
                users.resetPassword(
                    id, request.password(), request.temporary() == null || request.temporary()))
        .thenReturn(ResponseEntity.noContent().build());
  }

  @PutMapping("/{id}/platform-roles")
  Mono<UserResponse> setPlatformRoles(
      @PathVariable String id, @Valid @RequestBody PlatformRolesRequest request) {
    return admin()
        .flatMap(c -> users.setPlatformRoles(id, request.platformRoles(), c.username()))
        .map(UserResponse::of);
  }

  private static Mono<Caller> admin() {
    return Callers.current().map(c -> c.requirePlatformRole(Caller.PLATFORM_ADMIN));
  }

  private static Mono<Caller> reader() {
    return Callers.current()
        .map(c -> c.requirePlatformRole(Caller.PLATFORM_ADMIN, Caller.PLATFORM_AUDITOR));
  }

  record CreateUserRequest(
      @NotNull @Size(max = 64) String username,
      @NotNull @Size(max = 254) String email,
      @Size(max = 100) String firstName,
      @Size(max = 100) String lastName,
      @Size(max = 256) String password,
      Boolean temporaryPassword,
      @Size(max = 10) List<String> platformRoles) {
    @Override
    public String toString() {
      return "CreateUserRequest[username=" + username + "]";
    }
  }

  record ResetPasswordRequest(@NotNull @Size(max = 256) String password, Boolean temporary) {
    @Override
    public String toString() {
      return "ResetPasswordRequest[]";
    }
  }

  record PlatformRolesRequest(@NotNull @Size(max = 10) List<String> platformRoles) {}

  record UserResponse(
      String id,
      String username,
      String email,
      String firstName,
      String lastName,
      boolean enabled,
      Instant createdAt,
      Set<String> platformRoles) {
    static UserResponse of(User u) {
      return new UserResponse(
          u.id(),
          u.username(),
          u.email(),
          u.firstName(),
          u.lastName(),
          u.enabled(),
          u.createdAt(),
          u.platformRoles());
    }
  }

  record UserListResponse(List<UserResponse> items, String nextCursor) {}
}
