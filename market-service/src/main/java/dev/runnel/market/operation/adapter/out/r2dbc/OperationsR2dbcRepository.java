package dev.runnel.market.operation.adapter.out.r2dbc;

import dev.runnel.market.operation.application.Operations;
import dev.runnel.market.operation.domain.Operation;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
class OperationsR2dbcRepository implements Operations {
  private final DatabaseClient db;

  OperationsR2dbcRepository(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Mono<Void> insert(Operation o) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "insert into market_operation (id, kind, target, status, actor, created_at,"
                    + " idempotency_key) values (:id, :kind, :target, :status, :actor, :createdAt,"
                    + " :key)")
            .bind("id", o.id())
            .bind("kind", o.kind())
            .bind("target", o.target())
            .bind("status", o.status())
            .bind("actor", o.actor())
            .bind("createdAt", o.createdAt().atOffset(ZoneOffset.UTC));
    return (o.idempotencyKey() == null
            ? spec.bindNull("key", String.class)
            : spec.bind("key", o.idempotencyKey()))
        .then();
  }

  @Override
  public Mono<Operation> findByKey(String kind, String target, String idempotencyKey) {
    return db.sql(
            "select * from market_operation where kind = :kind and target = :target"
                + " and idempotency_key = :key")
        .bind("kind", kind)
        .bind("target", target)
        .bind("key", idempotencyKey)
        .map(OperationsR2dbcRepository::toOperation)
        .one();
  }

  @Override
  public Mono<Operation> find(UUID id) {
    return db.sql("select * from market_operation where id = :id")
        .bind("id", id)
        .map(OperationsR2dbcRepository::toOperation)
        .one();
  }

  @Override
  public Mono<Void> started(UUID id, Instant at) {
    return db.sql("update market_operation set status = 'running', started_at = :at where id = :id")
        .bind("id", id)
        .bind("at", at.atOffset(ZoneOffset.UTC))
        .then();
  }

  @Override
  public Mono<Void> finished(UUID id, boolean succeeded, String result, String error, Instant at) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "update market_operation set status = :status, result = :result, error = :error,"
                    + " finished_at = :at where id = :id")
            .bind("id", id)
            .bind("status", succeeded ? "succeeded" : "failed")
            .bind("at", at.atOffset(ZoneOffset.UTC));
    spec = result == null ? spec.bindNull("result", String.class) : spec.bind("result", result);
    spec = error == null ? spec.bindNull("error", String.class) : spec.bind("error", error);
    return spec.then();
  }

  private static Operation toOperation(Readable row) {
    return new Operation(
        row.get("id", UUID.class),
        row.get("kind", String.class),
        row.get("target", String.class),
        row.get("status", String.class),
        row.get("actor", String.class),
        row.get("result", String.class),
        row.get("error", String.class),
        instant(row.get("created_at", OffsetDateTime.class)),
        instant(row.get("started_at", OffsetDateTime.class)),
        instant(row.get("finished_at", OffsetDateTime.class)),
        row.get("idempotency_key", String.class));
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
