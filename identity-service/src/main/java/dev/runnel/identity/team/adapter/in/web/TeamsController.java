package dev.runnel.identity.team.adapter.in.web;

import dev.runnel.identity.team.application.ManageMembers;
import dev.runnel.identity.team.application.ManageTeams;
import dev.runnel.identity.team.application.TeamQuotas;
import dev.runnel.identity.team.domain.Member;
import dev.runnel.identity.team.domain.Quota;
import dev.runnel.identity.team.domain.Team;
import dev.runnel.kit.security.Caller;
import dev.runnel.kit.security.Callers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /api/identity/v1/teams}: platform admins create and delete teams and set quotas; a team's
 * admins rename it and manage its members; members and viewers read their team; auditors read every
 * team. Another team answers 404, a forbidden change 403.
 */
@RestController
@RequestMapping("/api/identity/v1/teams")
class TeamsController {
  private final ManageTeams teams;
  private final ManageMembers members;
  private final TeamQuotas quotas;

  TeamsController(ManageTeams teams, ManageMembers members, TeamQuotas quotas) {
    this.teams = teams;
    this.members = members;
    this.quotas = quotas;
  }

  @GetMapping
  Mono<TeamListResponse> list(
      @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "50") int limit) {
    return Callers.current()
        .flatMap(c -> teams.list(cursor, limit, c.canReadEverything() ? null : c.teams().keySet()))
        .map(
            page ->
                new TeamListResponse(
                    page.items().stream().map(TeamResponse::of).toList(), page.nextCursor()));
  }

  @PostMapping
  Mono<ResponseEntity<TeamResponse>> create(@Valid @RequestBody CreateTeamRequest request) {
    return platformAdmin()
        .flatMap(c -> teams.create(request.name(), request.displayName(), c.username()))
        .map(
            t ->
                ResponseEntity.created(URI.create("/api/identity/v1/teams/" + t.name()))
                    .body(TeamResponse.of(t)));
  }

  @GetMapping("/{team}")
  Mono<TeamResponse> get(@PathVariable String team) {
    return read(team).then(teams.get(team)).map(TeamResponse::of);
  }

  @PatchMapping("/{team}")
  Mono<TeamResponse> rename(@PathVariable String team, @Valid @RequestBody RenameRequest request) {
    return administer(team)
        .flatMap(c -> teams.rename(team, request.displayName(), c.username()))
        .map(TeamResponse::of);
  }

  @DeleteMapping("/{team}")
  Mono<ResponseEntity<Void>> delete(@PathVariable String team) {
    return read(team)
        .map(c -> c.requirePlatformRole(Caller.PLATFORM_ADMIN))
        .flatMap(c -> teams.delete(team, c.username()))
        .thenReturn(ResponseEntity.noContent().build());
  }

  @GetMapping("/{team}/members")
  Mono<MemberListResponse> members(@PathVariable String team) {
    return read(team)
        .then(members.list(team))
        .map(list -> new MemberListResponse(list.stream().map(MemberResponse::of).toList()));
  }

  @PostMapping("/{team}/members")
  Mono<ResponseEntity<MemberResponse>> addMember(
      @PathVariable String team, @Valid @RequestBody AddMemberRequest request) {
    return administer(team)
        .flatMap(c -> members.add(team, request.username(), request.role(), c.username()))
        .map(
            m ->
                ResponseEntity.created(
                        URI.create("/api/identity/v1/teams/" + team + "/members/" + m.username()))
                    .body(MemberResponse.of(m)));
  }

  @PutMapping("/{team}/members/{username}")
  Mono<MemberResponse> changeRole(
      @PathVariable String team,
      @PathVariable String username,
      @Valid @RequestBody RoleRequest request) {
    return administer(team)
        .flatMap(c -> members.changeRole(team, username, request.role(), c.username()))
        .map(MemberResponse::of);
  }

  @DeleteMapping("/{team}/members/{username}")
  Mono<ResponseEntity<Void>> removeMember(
      @PathVariable String team, @PathVariable String username) {
    return administer(team)
        .flatMap(c -> members.remove(team, username, "removed", c.username()))
        .thenReturn(ResponseEntity.noContent().build());
  }

  @PostMapping("/{team}/leave")
  Mono<ResponseEntity<Void>> leave(@PathVariable String team) {
    return read(team)
        .flatMap(c -> members.remove(team, c.username(), "left", c.username()))
        .thenReturn(ResponseEntity.noContent().build());
  }

  @GetMapping("/{team}/quota")
  Mono<QuotaResponse> quota(@PathVariable String team) {
    return read(team).then(quotas.get(team)).map(QuotaResponse::of);
  }

  @PutMapping("/{team}/quota")
  Mono<QuotaResponse> setQuota(@PathVariable String team, @Valid @RequestBody QuotaRequest q) {
    return read(team)
        .map(c -> c.requirePlatformRole(Caller.PLATFORM_ADMIN))
        .flatMap(
            c -> quotas.put(team, q.cpu(), q.memory(), q.storage(), q.instances(), c.username()))
        .map(QuotaResponse::of);
  }

  private static Mono<Caller> platformAdmin() {
    return Callers.current().map(c -> c.requirePlatformRole(Caller.PLATFORM_ADMIN));
  }

  /** 404 unless the caller belongs to the team or reads everything. */
  private static Mono<Caller> read(String team) {
    return Callers.current().map(c -> c.requireRead(team, "Team", team));
  }

  /** 404 for strangers; 403 for those who see the team but do not administer it. */
  private static Mono<Caller> administer(String team) {
    return read(team)
        .map(
            c ->
                c.requireAdminister(
                    team, "Only team admins of '" + team + "' and platform admins may do this"));
  }

  record CreateTeamRequest(
      @NotNull @Size(max = 63) String name, @NotNull @Size(max = 100) String displayName) {}

  record RenameRequest(@NotNull @Size(max = 100) String displayName) {}

  record AddMemberRequest(@NotNull @Size(max = 64) String username, @NotNull String role) {}

  record RoleRequest(@NotNull String role) {}

  record QuotaRequest(
      @Size(max = 32) String cpu,
      @Size(max = 32) String memory,
      @Size(max = 32) String storage,
      Integer instances) {}

  record TeamResponse(String name, String displayName, Instant createdAt, Instant updatedAt) {
    static TeamResponse of(Team t) {
      return new TeamResponse(t.name(), t.displayName(), t.createdAt(), t.updatedAt());
    }
  }

  record TeamListResponse(List<TeamResponse> items, String nextCursor) {}

  record MemberResponse(String userId, String username, String role, Instant addedAt) {
    static MemberResponse of(Member m) {
      return new MemberResponse(m.userId(), m.username(), m.role(), m.addedAt());
    }
  }

  record MemberListResponse(List<MemberResponse> items) {}

  record QuotaResponse(String team, String cpu, String memory, String storage, Integer instances) {
    static QuotaResponse of(Quota q) {
      return new QuotaResponse(q.team(), q.cpu(), q.memory(), q.storage(), q.instances());
    }
  }
}
