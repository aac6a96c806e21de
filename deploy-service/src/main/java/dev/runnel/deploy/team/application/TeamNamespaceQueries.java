package dev.runnel.deploy.team.application;

import dev.runnel.deploy.team.domain.NamespaceStatus;
import dev.runnel.deploy.team.domain.Team;
import dev.runnel.kit.problem.Problem;
import dev.runnel.kit.security.Caller;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** The team's namespace on each cluster, for the team and the platform's admins and auditors. */
@Service
public class TeamNamespaceQueries {
  private final TeamProjection projection;

  public TeamNamespaceQueries(TeamProjection projection) {
    this.projection = projection;
  }

  public Mono<TeamNamespaces> of(String team, Caller caller) {
    return Mono.defer(
        () -> {
          caller.requireRead(team, "Team", team);
          return projection
              .find(team)
              .switchIfEmpty(Mono.error(() -> Problem.notFound("Team", team)))
              .zipWhen(t -> projection.statuses(t.name()).collectList())
              .map(z -> new TeamNamespaces(z.getT1(), z.getT2()));
        });
  }

  public record TeamNamespaces(Team team, List<NamespaceStatus> clusters) {}
}
