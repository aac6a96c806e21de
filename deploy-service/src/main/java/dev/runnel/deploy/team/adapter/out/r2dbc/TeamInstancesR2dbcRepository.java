package dev.runnel.deploy.team.adapter.out.r2dbc;

import dev.runnel.deploy.team.application.TeamInstances;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads the instance and revision tables for the team's usage. An instance whose first install is
 * still running has no deployed revision yet: it counts as an instance, without resources.
 */
@Repository
class TeamInstancesR2dbcRepository implements TeamInstances {
  private final DatabaseClient db;

  TeamInstancesR2dbcRepository(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Flux<InstanceManifest> othersThan(String team, UUID except) {
    return db.sql(
            "select i.id, i.cluster, coalesce(r.manifest, '') as manifest from instance i left"
                + " join revision r on r.instance_id = i.id and r.number = i.revision where"
                + " i.team = :team and i.deleted_at is null and i.id <> :except")
        .bind("team", team)
        .bind("except", except)
        .map(
            row ->
                new InstanceManifest(
                    row.get("id", UUID.class),
                    row.get("cluster", String.class),
                    row.get("manifest", String.class)))
        .all();
  }

  @Override
  public Mono<Long> countOn(String team, String cluster) {
    return db.sql(
            "select count(*) as n from instance where team = :team and cluster = :cluster and"
                + " deleted_at is null")
        .bind("team", team)
        .bind("cluster", cluster)
        .map(row -> row.get("n", Long.class))
        .one();
  }
}
