package dev.runnel.audit.trail.adapter.out.r2dbc;

import dev.runnel.audit.trail.application.AuditTrail;
import dev.runnel.audit.trail.application.TrailQuery;
import dev.runnel.audit.trail.domain.AuditRecord;
import dev.runnel.audit.trail.domain.TrailEntry;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class AuditTrailR2dbcRepository implements AuditTrail {
  /** The advisory lock that serialises appends ("AuditTrl"); distinct from the outbox relay's. */
  private static final long APPEND_LOCK = 0x417564697454726cL;

  private static final String COLUMNS =
      "seq, event_id, type, source, subject, team, actor, occurred_at, received_at, trace_id,"
          + " kafka_topic, kafka_partition, kafka_offset, data, prev_hash, hash";

  private final DatabaseClient db;

  AuditTrailR2dbcRepository(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Mono<Void> lockForAppend() {
    return db.sql("select pg_advisory_xact_lock(:key)").bind("key", APPEND_LOCK).then();
  }

  @Override
  public Mono<NextLink> nextLink() {
    return db.sql(
            "select nextval(pg_get_serial_sequence('audit_event', 'seq')) as seq,"
                + " (select hash from audit_event order by seq desc limit 1) as head")
        .map(row -> new NextLink(row.get("seq", Long.class), row.get("head", String.class)))
        .one();
  }

  @Override
  public Mono<Boolean> append(TrailEntry entry) {
    AuditRecord r = entry.record();
    DatabaseClient.GenericExecuteSpec insert =
        db.sql(
                "insert into audit_event ("
                    + COLUMNS
                    + ") values (:seq, :eventId, :type, :source, :subject, :team, :actor,"
                    + " :occurredAt, :receivedAt, :traceId, :topic, :partition, :offset, :data,"
                    + " :prevHash, :hash) on conflict (event_id) do nothing")
            .bind("seq", entry.seq())
            .bind("eventId", r.eventId())
            .bind("type", r.type())
            .bind("source", r.source())
            .bind("occurredAt", r.occurredAt().atOffset(ZoneOffset.UTC))
            .bind("receivedAt", r.receivedAt().atOffset(ZoneOffset.UTC))
            .bind("topic", r.topic())
            .bind("partition", r.partition())
            .bind("offset", r.offset())
            .bind("data", r.data())
            .bind("prevHash", entry.prevHash())
            .bind("hash", entry.hash());
    insert = bindNullable(insert, "subject", r.subject());
    insert = bindNullable(insert, "team", r.team());
    insert = bindNullable(insert, "actor", r.actor());
    insert = bindNullable(insert, "traceId", r.traceId());
    return insert.fetch().rowsUpdated().map(n -> n == 1);
  }

  @Override
  public Flux<TrailEntry> search(TrailQuery q, int limit) {
    StringBuilder where = new StringBuilder(" where true");
    Map<String, Object> binds = new LinkedHashMap<>();
    condition(where, binds, "seq < :beforeSeq", "beforeSeq", q.beforeSeq());
    condition(where, binds, "occurred_at >= :from", "from", utc(q.from()));
    condition(where, binds, "occurred_at < :to", "to", utc(q.to()));
    condition(where, binds, "type = :type", "type", q.type());
    condition(where, binds, "starts_with(type, :typePrefix)", "typePrefix", q.typePrefix());
    // The suffix is the server's own constant (no LIKE wildcards in it), never client input.
    condition(
        where,
        binds,
        "type like :typeSuffix",
        "typeSuffix",
        q.typeSuffix() == null ? null : "%" + q.typeSuffix());
    condition(where, binds, "subject = :subject", "subject", q.subject());
    condition(where, binds, "team = :team", "team", q.team());
    condition(where, binds, "actor = :actor", "actor", q.actor());
    DatabaseClient.GenericExecuteSpec select =
        db.sql(
                "select "
                    + COLUMNS
                    + " from audit_event"
                    + where
                    + " order by seq desc limit :limit")
            .bind("limit", limit);
    for (Map.Entry<String, Object> bind : binds.entrySet()) {
      select = select.bind(bind.getKey(), bind.getValue());
    }
    return select.map(AuditTrailR2dbcRepository::toEntry).all();
  }

  @Override
  public Mono<TrailEntry> findByEventId(String eventId) {
    return db.sql("select " + COLUMNS + " from audit_event where event_id = :eventId")
        .bind("eventId", eventId)
        .map(AuditTrailR2dbcRepository::toEntry)
        .one();
  }

  @Override
  public Flux<TrailEntry> chainAfter(long seq, int limit) {
    return db.sql(
            "select " + COLUMNS + " from audit_event where seq > :seq order by seq limit :limit")
        .bind("seq", seq)
        .bind("limit", limit)
        .map(AuditTrailR2dbcRepository::toEntry)
        .all();
  }

  private static void condition(
      StringBuilder where, Map<String, Object> binds, String sql, String name, Object value) {
    if (value != null) {
      where.append(" and ").append(sql);
      binds.put(name, value);
    }
  }

  private static OffsetDateTime utc(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }

  private static DatabaseClient.GenericExecuteSpec bindNullable(
      DatabaseClient.GenericExecuteSpec spec, String name, String value) {
    return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
  }

  private static TrailEntry toEntry(Readable row) {
    AuditRecord record =
        new AuditRecord(
            row.get("event_id", String.class),
            row.get("type", String.class),
            row.get("source", String.class),
            row.get("subject", String.class),
            row.get("team", String.class),
            row.get("actor", String.class),
            row.get("occurred_at", OffsetDateTime.class).toInstant(),
            row.get("received_at", OffsetDateTime.class).toInstant(),
            row.get("trace_id", String.class),
            row.get("kafka_topic", String.class),
            row.get("kafka_partition", Integer.class),
            row.get("kafka_offset", Long.class),
            row.get("data", String.class));
    return new TrailEntry(
        row.get("seq", Long.class),
        row.get("prev_hash", String.class),
        row.get("hash", String.class),
        record);
  }
}
