package dev.runnel.deploy.team.adapter.in.web;

import dev.runnel.deploy.team.application.TeamNamespaceQueries;
import dev.runnel.deploy.team.domain.NamespaceStatus;
import dev.runnel.deploy.team.domain.Team;
import dev.runnel.kit.security.Callers;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/deploy/v1/teams/{team}/namespaces}: where the team's namespace stands on each
 * cluster. The team's members, platform admins and auditors read it; to anyone else the team is not
 * there (404).
 */
@RestController
class TeamNamespacesController {
  private final TeamNamespaceQueries queries;

  TeamNamespacesController(TeamNamespaceQueries queries) {
    this.queries = queries;
  }

  @GetMapping("/api/deploy/v1/teams/{team}/namespaces")
  Mono<TeamNamespacesResponse> namespaces(@PathVariable String team) {
    return Callers.current()
        .flatMap(c -> queries.of(team, c))
        .map(r -> TeamNamespacesResponse.of(r.team(), r.clusters()));
  }

  /**
   * @param quota the quota the namespaces carry (null fields: no limit)
   * @param version the team's version in deploy-service; a cluster is current at this version
   */
  record TeamNamespacesResponse(
      String team,
      String namespace,
      boolean deleted,
      long version,
      QuotaResponse quota,
      List<ClusterNamespace> clusters) {
    static TeamNamespacesResponse of(Team t, List<NamespaceStatus> statuses) {
      return new TeamNamespacesResponse(
          t.name(),
          t.namespace(),
          t.deleted(),
          t.version(),
          new QuotaResponse(
              t.quota().cpu(), t.quota().memory(), t.quota().storage(), t.quota().instances()),
          statuses.stream().map(s -> ClusterNamespace.of(s, t.version())).toList());
    }
  }

  record QuotaResponse(String cpu, String memory, String storage, Integer instances) {}

  /**
   * @param state reconciled, failed or deleted
   * @param current whether the cluster has the team's latest version
   */
  record ClusterNamespace(
      String cluster,
      String state,
      long version,
      boolean current,
      int attempts,
      String error,
      Instant nextAttemptAt,
      Instant reconciledAt) {
    static ClusterNamespace of(NamespaceStatus s, long teamVersion) {
      return new ClusterNamespace(
          s.cluster(),
          s.state().label(),
          s.version(),
          s.version() == teamVersion && !"failed".equals(s.state().label()),
          s.attempts(),
          s.error(),
          s.nextAttemptAt(),
          s.reconciledAt());
    }
  }
}
