package dev.runnel.identity.integration.application;

import dev.runnel.identity.integration.domain.Integration;
import dev.runnel.identity.integration.domain.InvalidIntegrationException;
import dev.runnel.identity.team.application.KeycloakTeamSync;
import dev.runnel.identity.team.application.TeamSubjects;
import dev.runnel.identity.team.application.Teams;
import dev.runnel.kit.problem.Problem;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Client-credentials integrations of a team. Creation goes to Keycloak first (the client and its
 * service account), then the row, its event and a push request in one transaction; when that
 * transaction fails, the client is deleted again. The service account joins the team's group
 * through the same push as people do, so the reconciler also repairs it. Revocation deletes the
 * client first: from then on no new token is issued, whatever happens next.
 */
@Service
public class ManageIntegrations implements TeamSubjects {
  private static final Logger log = LoggerFactory.getLogger(ManageIntegrations.class);

  private final Integrations integrations;
  private final IntegrationClients clients;
  private final IntegrationEvents events;
  private final Teams teams;
  private final KeycloakTeamSync sync;
  private final TransactionalOperator tx;
  private final Clock clock;

  public ManageIntegrations(
      Integrations integrations,
      IntegrationClients clients,
      IntegrationEvents events,
      Teams teams,
      @Lazy KeycloakTeamSync sync,
      TransactionalOperator tx,
      Clock clock) {
    this.integrations = integrations;
    this.clients = clients;
    this.events = events;
    this.teams = teams;
    this.sync = sync;
    this.tx = tx;
    this.clock = clock;
  }

  public Mono<List<Integration>> list(String team) {
    return existingTeam(team).thenMany(integrations.ofTeam(team)).collectList();
  }

  /** The new integration and its secret, which is shown this once. */
  public Mono<Created> create(String team, String name, String role, String actor) {
    return validated(name, role)
        .flatMap(
            valid ->
                existingTeam(team)
                    .then(integrations.findByName(team, valid.name()))
                    .flatMap(existing -> Mono.<Created>error(duplicate(team, valid.name())))
                    .switchIfEmpty(
                        Mono.defer(
                            () -> {
                              String clientId = Integration.clientIdOf(team, valid.name());
                              return clients
                                  .create(team, clientId, "Integration of team " + team)
                                  .flatMap(client -> store(team, valid, clientId, client, actor));
                            })));
  }

  private Mono<Created> store(
      String team,
      Integration.Valid valid,
      String clientId,
      IntegrationClients.CreatedClient client,
      String actor) {
    Integration integration =
        new Integration(
            UUID.randomUUID(),
            team,
            valid.name(),
            clientId,
            client.clientUuid(),
            client.serviceAccountUserId(),
            valid.role(),
            actor,
            clock.instant());
    return integrations
        .insert(integration)
        .then(events.created(integration, actor))
        .then(teams.requestSync(team, clock.instant()))
        .as(tx::transactional)
        .onErrorResume(
            e ->
                clients
                    .delete(client.clientUuid())
                    .onErrorResume(
                        undo -> {
                          log.error(
                              "client {} of team '{}' is left in Keycloak without its"
                                  + " integration; delete it by hand",
                              clientId,
                              team,
                              undo);
                          return Mono.empty();
                        })
                    .then(
                        Mono.error(
                            e instanceof DuplicateKeyException
                                ? duplicate(team, valid.name())
                                : e)))
        .then(sync.pushQuietly(team))
        .doOnSuccess(
            ok ->
                log.info("integration '{}' of team '{}' created by {}", valid.name(), team, actor))
        .thenReturn(new Created(integration, client.secret()));
  }

  public Mono<Void> revoke(String team, UUID id, String actor) {
    return existingTeam(team)
        .then(integrations.find(team, id))
        .switchIfEmpty(Mono.error(() -> Problem.notFound("Integration", id)))
        .flatMap(
            integration ->
                clients
                    .delete(integration.clientUuid())
                    .then(
                        integrations
                            .delete(id)
                            .then(events.revoked(integration, actor))
                            .then(teams.requestSync(team, clock.instant()))
                            .as(tx::transactional))
                    .then(sync.pushQuietly(team))
                    .doOnSuccess(
                        ok ->
                            log.info(
                                "integration '{}' of team '{}' revoked by {}",
                                integration.name(),
                                team,
                                actor)))
        .then();
  }

  @Override
  public Mono<Map<String, Set<String>>> serviceAccounts(String team) {
    return integrations
        .ofTeam(team)
        .collect(
            HashMap::new,
            (Map<String, Set<String>> m, Integration i) ->
                m.computeIfAbsent(i.role(), r -> new HashSet<>()).add(i.serviceAccountUserId()));
  }

  @Override
  public Mono<Void> removeAll(String team) {
    return clients.deleteAllOf(team);
  }

  private Mono<Void> existingTeam(String team) {
    return teams.find(team).switchIfEmpty(Mono.error(() -> Problem.notFound("Team", team))).then();
  }

  private static Mono<Integration.Valid> validated(String name, String role) {
    try {
      return Mono.just(new Integration.Valid(Integration.name(name), Integration.role(role)));
    } catch (InvalidIntegrationException e) {
      return Mono.error(Problem.invalid(e.field(), e.getMessage()));
    }
  }

  private static Problem duplicate(String team, String name) {
    return Problem.conflict("Team '" + team + "' already has an integration named '" + name + "'");
  }

  /** A created integration and its client secret. */
  public record Created(Integration integration, String secret) {
    @Override
    public String toString() {
      return "Created[" + integration.clientId() + "]";
    }
  }
}
