package dev.runnel.identity.integration.adapter.in.web;

import dev.runnel.identity.integration.application.ManageIntegrations;
import dev.runnel.identity.integration.domain.Integration;
import dev.runnel.kit.security.Caller;
import dev.runnel.kit.security.Callers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
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
 * {@code /api/identity/v1/teams/{team}/integrations}: a team's admins create and revoke
 * client-credentials integrations; the team's members and auditors list them. The client secret is
 * in the creation's answer only.
 */
@RestController
@RequestMapping("/api/identity/v1/teams/{team}/integrations")
class IntegrationsController {
  private final ManageIntegrations integrations;

  IntegrationsController(ManageIntegrations integrations) {
    this.integrations = integrations;
  }

  @GetMapping
  Mono<IntegrationListResponse> list(@PathVariable String team) {
    return read(team)
        .then(integrations.list(team))
        .map(l -> new IntegrationListResponse(l.stream().map(IntegrationResponse::of).toList()));
  }

  @PostMapping
  Mono<ResponseEntity<CreatedResponse>> create(
      @PathVariable String team, @Valid @RequestBody CreateRequest request) {
    return administer(team)
        .flatMap(c -> integrations.create(team, request.name(), request.role(), c.username()))
        .map(
            created ->
                ResponseEntity.created(
                        URI.create(
                            "/api/identity/v1/teams/"
                                + team
                                + "/integrations/"
                                + created.integration().id()))
                    .header("Cache-Control", "no-store")
                    .body(
                        new CreatedResponse(
                            IntegrationResponse.of(created.integration()), created.secret())));
  }

  @DeleteMapping("/{id}")
  Mono<ResponseEntity<Void>> revoke(@PathVariable String team, @PathVariable UUID id) {
    return administer(team)
        .flatMap(c -> integrations.revoke(team, id, c.username()))
        .thenReturn(ResponseEntity.noContent().build());
  }

  private static Mono<Caller> read(String team) {
    return Callers.current().map(c -> c.requireRead(team, "Team", team));
  }

  private static Mono<Caller> administer(String team) {
    return read(team)
        .map(
            c ->
                c.requireAdminister(
                    team,
                    "Only team admins of '" + team + "' and platform admins manage integrations"));
  }

  record CreateRequest(@NotNull @Size(max = 40) String name, String role) {}

  record IntegrationResponse(
      UUID id, String name, String clientId, String role, String createdBy, Instant createdAt) {
    static IntegrationResponse of(Integration i) {
      return new IntegrationResponse(
          i.id(), i.name(), i.clientId(), i.role(), i.createdBy(), i.createdAt());
    }
  }

  /** The only answer that carries the secret; the platform does not keep it. */
  record CreatedResponse(IntegrationResponse integration, String clientSecret) {
    @Override
    public String toString() {
      return "CreatedResponse[" + integration.clientId() + "]";
    }
  }

  record IntegrationListResponse(List<IntegrationResponse> items) {}
}
