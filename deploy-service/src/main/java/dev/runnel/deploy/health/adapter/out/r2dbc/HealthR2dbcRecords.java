package dev.runnel.deploy.health.adapter.out.r2dbc;

import dev.runnel.deploy.health.application.HealthRecords;
import dev.runnel.deploy.health.domain.HealthChange;
import dev.runnel.deploy.instance.domain.InstanceState;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The instance's stored health, changed only under the watch's conditions: the row still has the
 * health the change started from and no operation is pending or running on it (operations store
 * their own outcome).
 */
@Repository
class HealthR2dbcRecords implements HealthRecords {
  private static final String WATCHED =
      "('" + InstanceState.RUNNING.label() + "', '" + InstanceState.FAILED.label() + "')";
  private final DatabaseClient db;

  HealthR2dbcRecords(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Mono<Boolean> store(HealthChange c) {
    return db.sql(
            "update instance set health = :current where id = :id and health = :previous and"
                + " deleted_at is null and state in "
                + WATCHED
                + " and not exists (select 1 from operation o where o.instance_id = :id and"
                + " o.status in ('pending', 'running'))")
        .bind("current", c.current().label())
        .bind("previous", c.previous().label())
        .bind("id", c.instance().id())
        .fetch()
        .rowsUpdated()
        .map(n -> n == 1);
  }

  @Override
  public Flux<UUID> watchedOn(String cluster) {
    return db.sql(
            "select id from instance where cluster = :cluster and deleted_at is null and state in "
                + WATCHED)
        .bind("cluster", cluster)
        .map(row -> row.get("id", UUID.class))
        .all();
  }
}
