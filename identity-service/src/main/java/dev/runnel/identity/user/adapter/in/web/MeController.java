package dev.runnel.identity.user.adapter.in.web;

import dev.runnel.identity.user.application.MyAccount;
import dev.runnel.identity.user.application.TeamMemberships;
import dev.runnel.kit.security.Callers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code /api/identity/v1/me}: every signed-in user reads and edits their own account. */
@RestController
@RequestMapping("/api/identity/v1/me")
class MeController {
  private final MyAccount account;

  MeController(MyAccount account) {
    this.account = account;
  }

  @GetMapping
  Mono<MeResponse> me() {
    return Callers.current().flatMap(c -> account.me(c.username())).map(MeResponse::of);
  }

  @PatchMapping
  Mono<MeResponse> update(@Valid @RequestBody ProfileRequest request) {
    return Callers.current()
        .flatMap(
            c ->
                account.updateProfile(
                    c.username(), request.email(), request.firstName(), request.lastName()))
        .map(MeResponse::of);
  }

  @PostMapping("/password")
  Mono<ResponseEntity<Void>> changePassword(@Valid @RequestBody PasswordRequest request) {
    return Callers.current()
        .flatMap(
            c ->
                account.changePassword(
                    c.username(), request.currentPassword(), request.newPassword()))
        .thenReturn(ResponseEntity.noContent().build());
  }

  record ProfileRequest(
      @Size(max = 254) String email,
      @Size(max = 100) String firstName,
      @Size(max = 100) String lastName) {}

  record PasswordRequest(
      @NotNull @Size(max = 256) String currentPassword,
      @NotNull @Size(max = 256) String newPassword) {
    @Override
    public String toString() {
      return "PasswordRequest[]";
    }
  }

  record TeamResponse(String team, String displayName, String role) {
    static TeamResponse of(TeamMemberships.Membership m) {
      return new TeamResponse(m.team(), m.displayName(), m.role());
    }
  }

  record MeResponse(
      String id,
      String username,
      String email,
      String firstName,
      String lastName,
      Set<String> platformRoles,
      List<TeamResponse> teams) {
    static MeResponse of(MyAccount.Me me) {
      return new MeResponse(
          me.user().id(),
          me.user().username(),
          me.user().email(),
          me.user().firstName(),
          me.user().lastName(),
          me.user().platformRoles(),
          me.teams().stream().map(TeamResponse::of).toList());
    }
  }
}
