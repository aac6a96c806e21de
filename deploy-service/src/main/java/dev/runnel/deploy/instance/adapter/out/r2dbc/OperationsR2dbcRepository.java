package dev.runnel.deploy.instance.adapter.out.r2dbc;

import dev.runnel.deploy.instance.application.Operations;
import dev.runnel.deploy.instance.application.Revisions;
import dev.runnel.deploy.instance.domain.Operation;
import dev.runnel.deploy.instance.domain.OperationKind;
import dev.runnel.deploy.instance.domain.OperationStatus;
import dev.runnel.deploy.instance.domain.Revision;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class OperationsR2dbcRepository implements Operations, Revisions {
  private static final String COLUMNS =
      "id, instance_id, kind, status, steps, log, actor, request, error, created_at, started_at,"
          + " finished_at, deadline_at";
  private static final String REVISION_COLUMNS =
      "instance_id, number, chart_version, user_values, manifest, hooks, status, operation_id,"
          + " created_at";
  private final DatabaseClient db;
  private final JsonMapper json;

  OperationsR2dbcRepository(DatabaseClient db, JsonMapper json) {
    this.db = db;
    this.json = json;
  }

  @Override
  public Mono<Operation> find(UUID id) {
    return db.sql("select " + COLUMNS + " from operation where id = :id")
        .bind("id", id)
        .map(this::toOperation)
        .one();
  }

  @Override
  public Mono<Void> insert(Operation op) {
    return bind(
            db.sql(
                "insert into operation ("
                    + COLUMNS
                    + ") values (:id, :instanceId, :kind, :status, :steps, :log, :actor, :request,"
                    + " :error, :createdAt, :startedAt, :finishedAt, :deadlineAt)"),
            op)
        .then();
  }

  @Override
  public Mono<Void> update(Operation op) {
    // A progress write still in flight when the operation was ended elsewhere (a queued one
    // cancelled as it logged its place in the line) must not bring it back to life.
    String guard = op.status().finished() ? "" : " and status in ('queued', 'pending', 'running')";
    return bind(
            db.sql(
                "update operation set instance_id = :instanceId, kind = :kind, status = :status,"
                    + " steps = :steps, log = :log, actor = :actor, request = :request, error ="
                    + " :error, created_at = :createdAt, started_at = :startedAt, finished_at ="
                    + " :finishedAt, deadline_at = :deadlineAt where id = :id"
                    + guard),
            op)
        .then();
  }

  @Override
  public Mono<Operation> active(UUID instanceId) {
    return db.sql(
            "select "
                + COLUMNS
                + " from operation where instance_id = :id and status in ('queued', 'pending', 'running')")
        .bind("id", instanceId)
        .map(this::toOperation)
        .one();
  }

  @Override
  public Flux<Operation> forInstance(UUID instanceId, int limit) {
    return db.sql(
            "select "
                + COLUMNS
                + " from operation where instance_id = :id order by created_at desc, id limit"
                + " :limit")
        .bind("id", instanceId)
        .bind("limit", limit)
        .map(this::toOperation)
        .all();
  }

  @Override
  public Flux<Operation> unfinished() {
    return db.sql(
            "select "
                + COLUMNS
                + " from operation where status in ('queued', 'pending', 'running')"
                + " order by created_at, id")
        .map(this::toOperation)
        .all();
  }

  private DatabaseClient.GenericExecuteSpec bind(
      DatabaseClient.GenericExecuteSpec spec, Operation op) {
    spec =
        spec.bind("id", op.id())
            .bind("instanceId", op.instanceId())
            .bind("kind", op.kind().label())
            .bind("status", op.status().label())
            .bind("steps", json.writeValueAsString(op.steps()))
            .bind("log", json.writeValueAsString(op.log()))
            .bind("actor", op.actor())
            .bind("request", op.request())
            .bind("createdAt", op.createdAt().atOffset(ZoneOffset.UTC));
    spec =
        op.error() == null ? spec.bindNull("error", String.class) : spec.bind("error", op.error());
    spec = time(spec, "startedAt", op.startedAt());
    spec = time(spec, "deadlineAt", op.deadlineAt());
    return time(spec, "finishedAt", op.finishedAt());
  }

  private static DatabaseClient.GenericExecuteSpec time(
      DatabaseClient.GenericExecuteSpec spec, String name, Instant value) {
    return value == null
        ? spec.bindNull(name, OffsetDateTime.class)
        : spec.bind(name, value.atOffset(ZoneOffset.UTC));
  }

  private Operation toOperation(Readable row) {
    return new Operation(
        row.get("id", UUID.class),
        row.get("instance_id", UUID.class),
        OperationKind.parse(row.get("kind", String.class)),
        OperationStatus.parse(row.get("status", String.class)),
        json.readValue(
            row.get("steps", String.class), new TypeReference<List<Operation.Step>>() {}),
        json.readValue(
            row.get("log", String.class), new TypeReference<List<Operation.LogLine>>() {}),
        row.get("actor", String.class),
        row.get("request", String.class),
        row.get("error", String.class),
        instant(row, "created_at"),
        instant(row, "started_at"),
        instant(row, "finished_at"),
        instant(row, "deadline_at"));
  }

  private static Instant instant(Readable row, String column) {
    OffsetDateTime t = row.get(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  // ---------------------------------------------------------------- revisions

  @Override
  public Mono<Void> insert(Revision r) {
    return db.sql(
            "insert into revision ("
                + REVISION_COLUMNS
                + ") values (:instanceId, :number, :version, :values, :manifest, :hooks, :status,"
                + " :operationId, :createdAt)")
        .bind("instanceId", r.instanceId())
        .bind("number", r.number())
        .bind("version", r.chartVersion())
        .bind("values", r.userValues())
        .bind("manifest", r.manifest())
        .bind("hooks", r.hooks())
        .bind("status", r.status())
        .bind("operationId", r.operationId())
        .bind("createdAt", r.createdAt().atOffset(ZoneOffset.UTC))
        .then();
  }

  @Override
  public Mono<Void> setStatus(UUID instanceId, int number, String status) {
    return db.sql(
            "update revision set status = :status where instance_id = :id and number = :number")
        .bind("status", status)
        .bind("id", instanceId)
        .bind("number", number)
        .then();
  }

  @Override
  public Mono<Revision> find(UUID instanceId, int number) {
    return db.sql(
            "select "
                + REVISION_COLUMNS
                + " from revision where instance_id = :id and number = :number")
        .bind("id", instanceId)
        .bind("number", number)
        .map(OperationsR2dbcRepository::toRevision)
        .one();
  }

  @Override
  public Flux<Revision> forInstance(UUID instanceId) {
    return db.sql(
            "select "
                + REVISION_COLUMNS
                + " from revision where instance_id = :id order by number desc")
        .bind("id", instanceId)
        .map(OperationsR2dbcRepository::toRevision)
        .all();
  }

  @Override
  public Mono<Integer> last(UUID instanceId) {
    return db.sql("select coalesce(max(number), 0) as n from revision where instance_id = :id")
        .bind("id", instanceId)
        .map(row -> row.get("n", Integer.class))
        .one();
  }

  @Override
  public Mono<Void> trim(UUID instanceId, int keep) {
    return db.sql(
            "delete from revision where instance_id = :id and status <> 'deployed' and number"
                + " not in (select number from revision where instance_id = :id order by number"
                + " desc limit :keep)")
        .bind("id", instanceId)
        .bind("keep", keep)
        .then();
  }

  private static Revision toRevision(Readable row) {
    return new Revision(
        row.get("instance_id", UUID.class),
        row.get("number", Integer.class),
        row.get("chart_version", String.class),
        row.get("user_values", String.class),
        row.get("manifest", String.class),
        row.get("hooks", String.class),
        row.get("status", String.class),
        row.get("operation_id", UUID.class),
        row.get("created_at", OffsetDateTime.class).toInstant());
  }
}
