package dev.runnel.deploy.team.adapter.out.r2dbc;

import dev.runnel.deploy.team.application.TeamProjection;
import dev.runnel.deploy.team.domain.NamespaceStatus;
import dev.runnel.deploy.team.domain.ReconcileState;
import dev.runnel.deploy.team.domain.Team;
import dev.runnel.deploy.team.domain.TeamQuota;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class TeamProjectionR2dbcRepository implements TeamProjection {
  private static final String TEAM_COLUMNS =
      "t.name, t.display_name, t.cpu, t.memory, t.storage, t.instances, t.deleted, t.version";
  private static final String STATUS_COLUMNS =
      "s.team as s_team, s.cluster as s_cluster, s.state, s.version as s_version, s.attempts,"
          + " s.error, s.next_attempt_at, s.reconciled_at, s.updated_at as s_updated_at";

  private final DatabaseClient db;
  private final Clock clock;

  TeamProjectionR2dbcRepository(DatabaseClient db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Mono<Team> find(String name) {
    return db.sql("select " + TEAM_COLUMNS + " from team_projection t where t.name = :name")
        .bind("name", name)
        .map(TeamProjectionR2dbcRepository::team)
        .one();
  }

  @Override
  public Mono<Void> save(Team team, String eventId, String eventType, Instant eventTime) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "insert into team_projection (name, display_name, cpu, memory, storage, instances,"
                    + " deleted, version, last_event_id, last_event_type, last_event_at,"
                    + " updated_at) values (:name, :displayName, :cpu, :memory, :storage,"
                    + " :instances, :deleted, :version, :eventId, :eventType, :eventAt, :now) on"
                    + " conflict (name) do update set display_name = excluded.display_name, cpu ="
                    + " excluded.cpu, memory = excluded.memory, storage = excluded.storage,"
                    + " instances = excluded.instances, deleted = excluded.deleted, version ="
                    + " excluded.version, last_event_id = excluded.last_event_id, last_event_type"
                    + " = excluded.last_event_type, last_event_at = excluded.last_event_at,"
                    + " updated_at = excluded.updated_at")
            .bind("name", team.name())
            .bind("deleted", team.deleted())
            .bind("version", team.version())
            .bind("eventId", eventId)
            .bind("eventType", eventType)
            .bind("now", clock.instant().atOffset(ZoneOffset.UTC));
    spec = nullable(spec, "displayName", team.displayName(), String.class);
    spec = nullable(spec, "cpu", team.quota().cpu(), String.class);
    spec = nullable(spec, "memory", team.quota().memory(), String.class);
    spec = nullable(spec, "storage", team.quota().storage(), String.class);
    spec = nullable(spec, "instances", team.quota().instances(), Integer.class);
    spec =
        nullable(
            spec,
            "eventAt",
            eventTime == null ? null : eventTime.atOffset(ZoneOffset.UTC),
            OffsetDateTime.class);
    return spec.then();
  }

  @Override
  public Flux<Pending> pending(Instant now, int limit) {
    return db.sql(
            "select "
                + TEAM_COLUMNS
                + ", c.name as cluster, "
                + STATUS_COLUMNS
                + " from team_projection t cross join cluster c left join team_namespace s on"
                + " s.team = t.name and s.cluster = c.name where (s.team is null and not"
                + " t.deleted) or (s.team is not null and (s.version < t.version or (s.state ="
                + " 'failed' and s.next_attempt_at <= :now) or (c.updated_at > s.updated_at and"
                + " not t.deleted))) order by coalesce(s.next_attempt_at, t.updated_at), t.name,"
                + " c.name limit :limit")
        .bind("now", now.atOffset(ZoneOffset.UTC))
        .bind("limit", limit)
        .map(
            row ->
                new Pending(
                    team(row),
                    row.get("cluster", String.class),
                    row.get("s_team", String.class) == null ? null : status(row)))
        .all();
  }

  @Override
  public Mono<Void> saveStatus(NamespaceStatus s) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "insert into team_namespace (team, cluster, state, version, attempts, error,"
                    + " next_attempt_at, reconciled_at, updated_at) values (:team, :cluster,"
                    + " :state, :version, :attempts, :error, :next, :reconciled, :updated) on"
                    + " conflict (team, cluster) do update set state = excluded.state, version ="
                    + " excluded.version, attempts = excluded.attempts, error = excluded.error,"
                    + " next_attempt_at = excluded.next_attempt_at, reconciled_at ="
                    + " excluded.reconciled_at, updated_at = excluded.updated_at")
            .bind("team", s.team())
            .bind("cluster", s.cluster())
            .bind("state", s.state().label())
            .bind("version", s.version())
            .bind("attempts", s.attempts())
            .bind("updated", s.updatedAt().atOffset(ZoneOffset.UTC));
    spec = nullable(spec, "error", s.error(), String.class);
    spec = nullable(spec, "next", utc(s.nextAttemptAt()), OffsetDateTime.class);
    spec = nullable(spec, "reconciled", utc(s.reconciledAt()), OffsetDateTime.class);
    return spec.then();
  }

  @Override
  public Flux<NamespaceStatus> statuses(String team) {
    return db.sql(
            "select "
                + STATUS_COLUMNS
                + " from team_namespace s join cluster c on c.name = s.cluster where s.team ="
                + " :team order by s.cluster")
        .bind("team", team)
        .map(TeamProjectionR2dbcRepository::status)
        .all();
  }

  private static Team team(Readable row) {
    return new Team(
        row.get("name", String.class),
        row.get("display_name", String.class),
        new TeamQuota(
            row.get("cpu", String.class),
            row.get("memory", String.class),
            row.get("storage", String.class),
            row.get("instances", Integer.class)),
        Boolean.TRUE.equals(row.get("deleted", Boolean.class)),
        row.get("version", Long.class));
  }

  private static NamespaceStatus status(Readable row) {
    return new NamespaceStatus(
        row.get("s_team", String.class),
        row.get("s_cluster", String.class),
        ReconcileState.of(row.get("state", String.class)),
        row.get("s_version", Long.class),
        row.get("attempts", Integer.class),
        row.get("error", String.class),
        instant(row.get("next_attempt_at", OffsetDateTime.class)),
        instant(row.get("reconciled_at", OffsetDateTime.class)),
        instant(row.get("s_updated_at", OffsetDateTime.class)));
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }

  private static <T> DatabaseClient.GenericExecuteSpec nullable(
      DatabaseClient.GenericExecuteSpec spec, String name, T value, Class<T> type) {
    return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
  }
}
