package dev.runnel.deploy.instance.adapter.out.r2dbc;

import dev.runnel.deploy.instance.application.IdempotencyKeys;
import dev.runnel.deploy.instance.application.InstanceCursor;
import dev.runnel.deploy.instance.application.Instances;
import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.instance.domain.InstanceState;
import dev.runnel.health.HealthStatus;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class InstancesR2dbcRepository implements Instances, IdempotencyKeys {
  private static final String COLUMNS =
      "id, team, cluster, namespace, name, repository, chart, version, state, health, revision,"
          + " user_values, stopped_replicas, created_at, updated_at";
  private final DatabaseClient db;
  private final JsonMapper json;

  InstancesR2dbcRepository(DatabaseClient db, JsonMapper json) {
    this.db = db;
    this.json = json;
  }

  @Override
  public Mono<Instance> find(UUID id) {
    return db.sql("select " + COLUMNS + " from instance where id = :id")
        .bind("id", id)
        .map(this::toInstance)
        .one();
  }

  @Override
  public Mono<Void> insert(Instance i) {
    return bindAll(
            db.sql(
                "insert into instance ("
                    + COLUMNS
                    + ") values (:id, :team, :cluster, :namespace, :name, :repository, :chart,"
                    + " :version, :state, :health, :revision, :userValues, :stopped, :createdAt,"
                    + " :updatedAt)"),
            i)
        .then();
  }

  @Override
  public Mono<Void> update(Instance i) {
    return bindAll(
            db.sql(
                "update instance set team = :team, cluster = :cluster, namespace = :namespace,"
                    + " name = :name, repository = :repository, chart = :chart, version ="
                    + " :version, state = :state, health = :health, revision = :revision,"
                    + " user_values = :userValues, stopped_replicas = :stopped, created_at ="
                    + " :createdAt, updated_at = :updatedAt where id = :id"),
            i)
        .then();
  }

  @Override
  public Mono<Void> markDeleted(Instance i) {
    return update(i)
        .then(
            db.sql("update instance set deleted_at = :now where id = :id")
                .bind("now", i.updatedAt().atOffset(ZoneOffset.UTC))
                .bind("id", i.id())
                .then());
  }

  @Override
  public Mono<Boolean> nameTaken(String cluster, String namespace, String name) {
    return db.sql(
            "select count(*) as n from instance where cluster = :cluster and namespace ="
                + " :namespace and name = :name and deleted_at is null")
        .bind("cluster", cluster)
        .bind("namespace", namespace)
        .bind("name", name)
        .map(row -> row.get("n", Long.class) > 0)
        .one();
  }

  @Override
  public Flux<Instance> page(Set<String> teams, InstanceCursor after, int limit) {
    StringBuilder sql =
        new StringBuilder("select " + COLUMNS + " from instance where deleted_at is null");
    if (teams != null) {
      sql.append(" and team = any(:teams)");
    }
    if (after != null) {
      sql.append(" and (created_at, id) > (:afterTime, :afterId)");
    }
    sql.append(" order by created_at, id limit :limit");
    DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString()).bind("limit", limit);
    if (teams != null) {
      spec = spec.bind("teams", teams.toArray(new String[0]));
    }
    if (after != null) {
      spec =
          spec.bind("afterTime", after.createdAt().atOffset(ZoneOffset.UTC))
              .bind("afterId", after.id());
    }
    return spec.map(this::toInstance).all();
  }

  @Override
  public Mono<UUID> find(String actor, String key) {
    return db.sql("select operation_id from idempotency_key where actor = :actor and key = :key")
        .bind("actor", actor)
        .bind("key", key)
        .map(row -> row.get("operation_id", UUID.class))
        .one();
  }

  @Override
  public Mono<Void> remember(String actor, String key, UUID operationId) {
    return db.sql(
            "insert into idempotency_key (actor, key, operation_id, created_at) values (:actor,"
                + " :key, :op, :now)")
        .bind("actor", actor)
        .bind("key", key)
        .bind("op", operationId)
        .bind("now", Instant.now().atOffset(ZoneOffset.UTC))
        .then();
  }

  private DatabaseClient.GenericExecuteSpec bindAll(
      DatabaseClient.GenericExecuteSpec spec, Instance i) {
    spec =
        spec.bind("id", i.id())
            .bind("team", i.team())
            .bind("cluster", i.cluster())
            .bind("namespace", i.namespace())
            .bind("name", i.name())
            .bind("repository", i.repository())
            .bind("chart", i.chart())
            .bind("version", i.version())
            .bind("state", i.state().label())
            .bind("health", i.health().label())
            .bind("revision", i.revision())
            .bind("userValues", i.userValues())
            .bind("createdAt", i.createdAt().atOffset(ZoneOffset.UTC))
            .bind("updatedAt", i.updatedAt().atOffset(ZoneOffset.UTC));
    return i.stoppedReplicas().isEmpty()
        ? spec.bindNull("stopped", String.class)
        : spec.bind("stopped", json.writeValueAsString(i.stoppedReplicas()));
  }

  private Instance toInstance(Readable row) {
    String stopped = row.get("stopped_replicas", String.class);
    Map<String, Integer> replicas =
        stopped == null
            ? Map.of()
            : json.readValue(stopped, new TypeReference<LinkedHashMap<String, Integer>>() {});
    return new Instance(
        row.get("id", UUID.class),
        row.get("team", String.class),
        row.get("cluster", String.class),
        row.get("namespace", String.class),
        row.get("name", String.class),
        row.get("repository", String.class),
        row.get("chart", String.class),
        row.get("version", String.class),
        InstanceState.parse(row.get("state", String.class)),
        HealthStatus.parse(row.get("health", String.class)),
        row.get("revision", Integer.class),
        row.get("user_values", String.class),
        replicas,
        row.get("created_at", OffsetDateTime.class).toInstant(),
        row.get("updated_at", OffsetDateTime.class).toInstant());
  }
}
