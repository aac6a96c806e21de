package dev.runnel.deploy.team.application;

import dev.runnel.deploy.team.domain.Team;
import dev.runnel.deploy.team.domain.TeamQuota;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Keeps the team projection from identity-service's team events. Runs in the consumer's inbox
 * transaction; it only writes the projection, and {@link ReconcileTeamNamespaces} takes it to the
 * clusters, so a slow or unreachable cluster never holds up the consumer.
 */
@Service
public class ProjectTeams {
  private static final Logger log = LoggerFactory.getLogger(ProjectTeams.class);
  private final TeamProjection projection;

  public ProjectTeams(TeamProjection projection) {
    this.projection = projection;
  }

  /** The team was created or renamed. */
  public Mono<Void> exists(String name, String displayName, EventRef event) {
    return change(name, t -> t.exists(displayName), event);
  }

  public Mono<Void> quota(String name, TeamQuota quota, EventRef event) {
    return change(name, t -> t.withQuota(quota), event);
  }

  public Mono<Void> deleted(String name, EventRef event) {
    return change(name, Team::removed, event);
  }

  private Mono<Void> change(String name, UnaryOperator<Team> how, EventRef event) {
    return Mono.defer(
        () -> {
          String valid = Team.validName(name);
          return projection
              .find(valid)
              .defaultIfEmpty(Team.unknown(valid))
              .flatMap(
                  current -> {
                    Team next = how.apply(current);
                    if (next.version() == current.version()) {
                      log.debug(
                          "{} {} changes nothing for team {}", event.type(), event.id(), valid);
                      return Mono.empty();
                    }
                    return projection.save(next, event.id(), event.type(), event.time());
                  });
        });
  }

  /** Which event caused a change, kept beside the team. */
  public record EventRef(String id, String type, Instant time) {}
}
