package dev.runnel.identity.team.adapter.out.r2dbc;

import dev.runnel.identity.team.application.Teams;
import dev.runnel.identity.team.domain.Member;
import dev.runnel.identity.team.domain.Quota;
import dev.runnel.identity.team.domain.Team;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class TeamsR2dbcRepository implements Teams {
  private static final String TEAM = "name, display_name, version, created_at, updated_at";
  private static final String MEMBER = "team, user_id, username, role, added_at";
  private final DatabaseClient db;

  TeamsR2dbcRepository(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Mono<Team> find(String name) {
    return db.sql("select " + TEAM + " from team where name = :name")
        .bind("name", name)
        .map(TeamsR2dbcRepository::toTeam)
        .one();
  }

  @Override
  public Flux<Team> page(String after, int limit, Collection<String> names) {
    StringBuilder sql = new StringBuilder("select " + TEAM + " from team where true");
    if (after != null) {
      sql.append(" and name > :after");
    }
    if (names != null) {
      sql.append(" and name = any(:names)");
    }
    sql.append(" order by name limit :limit");
    DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString()).bind("limit", limit);
    if (after != null) {
      spec = spec.bind("after", after);
    }
    if (names != null) {
      spec = spec.bind("names", names.toArray(String[]::new));
    }
    return spec.map(TeamsR2dbcRepository::toTeam).all();
  }

  @Override
  public Mono<Void> insert(Team t) {
    return db.sql(
            "insert into team ("
                + TEAM
                + ") values (:name, :displayName, :version, :created,"
                + " :updated)")
        .bind("name", t.name())
        .bind("displayName", t.displayName())
        .bind("version", t.version())
        .bind("created", utc(t.createdAt()))
        .bind("updated", utc(t.updatedAt()))
        .then();
  }

  @Override
  public Mono<Boolean> update(Team t, long expectedVersion) {
    return db.sql(
            "update team set display_name = :displayName, version = :version, updated_at ="
                + " :updated where name = :name and version = :expected")
        .bind("name", t.name())
        .bind("displayName", t.displayName())
        .bind("version", t.version())
        .bind("updated", utc(t.updatedAt()))
        .bind("expected", expectedVersion)
        .fetch()
        .rowsUpdated()
        .map(n -> n == 1);
  }

  @Override
  public Mono<Void> delete(String name) {
    return db.sql("delete from team where name = :name").bind("name", name).then();
  }

  @Override
  public Flux<Member> members(String team) {
    return db.sql("select " + MEMBER + " from team_member where team = :team order by username")
        .bind("team", team)
        .map(TeamsR2dbcRepository::toMember)
        .all();
  }

  @Override
  public Mono<Member> member(String team, String userId) {
    return db.sql("select " + MEMBER + " from team_member where team = :team and user_id = :id")
        .bind("team", team)
        .bind("id", userId)
        .map(TeamsR2dbcRepository::toMember)
        .one();
  }

  @Override
  public Mono<Member> memberByUsername(String team, String username) {
    return db.sql(
            "select " + MEMBER + " from team_member where team = :team and username = :username")
        .bind("team", team)
        .bind("username", username)
        .map(TeamsR2dbcRepository::toMember)
        .one();
  }

  @Override
  public Mono<Void> insertMember(Member m) {
    return db.sql(
            "insert into team_member ("
                + MEMBER
                + ") values (:team, :id, :username, :role,"
                + " :added)")
        .bind("team", m.team())
        .bind("id", m.userId())
        .bind("username", m.username())
        .bind("role", m.role())
        .bind("added", utc(m.addedAt()))
        .then();
  }

  @Override
  public Mono<Void> updateMemberRole(Member m) {
    return db.sql("update team_member set role = :role where team = :team and user_id = :id")
        .bind("team", m.team())
        .bind("id", m.userId())
        .bind("role", m.role())
        .then();
  }

  @Override
  public Mono<Void> deleteMember(String team, String userId) {
    return db.sql("delete from team_member where team = :team and user_id = :id")
        .bind("team", team)
        .bind("id", userId)
        .then();
  }

  @Override
  public Flux<MemberOfTeam> membershipsOf(String userId) {
    return db.sql(
            "select m.team, m.user_id, m.username, m.role, m.added_at, t.display_name"
                + " from team_member m join team t on t.name = m.team"
                + " where m.user_id = :id order by m.team")
        .bind("id", userId)
        .map(row -> new MemberOfTeam(toMember(row), row.get("display_name", String.class)))
        .all();
  }

  @Override
  public Mono<Quota> quota(String team) {
    return db.sql("select team, cpu, memory, storage, instances from team_quota where team = :team")
        .bind("team", team)
        .map(
            row ->
                new Quota(
                    row.get("team", String.class),
                    row.get("cpu", String.class),
                    row.get("memory", String.class),
                    row.get("storage", String.class),
                    row.get("instances", Integer.class)))
        .one();
  }

  @Override
  public Mono<Void> saveQuota(Quota q, Instant now) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "insert into team_quota (team, cpu, memory, storage, instances, updated_at)"
                    + " values (:team, :cpu, :memory, :storage, :instances, :now)"
                    + " on conflict (team) do update set cpu = excluded.cpu, memory ="
                    + " excluded.memory, storage = excluded.storage, instances ="
                    + " excluded.instances, updated_at = excluded.updated_at")
            .bind("team", q.team())
            .bind("now", utc(now));
    spec = q.cpu() == null ? spec.bindNull("cpu", String.class) : spec.bind("cpu", q.cpu());
    spec =
        q.memory() == null
            ? spec.bindNull("memory", String.class)
            : spec.bind("memory", q.memory());
    spec =
        q.storage() == null
            ? spec.bindNull("storage", String.class)
            : spec.bind("storage", q.storage());
    spec =
        q.instances() == null
            ? spec.bindNull("instances", Integer.class)
            : spec.bind("instances", q.instances());
    return spec.then();
  }

  @Override
  public Mono<Long> instanceCount(String team) {
    return db.sql("select count(*) as n from team_instance where team = :team")
        .bind("team", team)
        .map(row -> row.get("n", Long.class))
        .one();
  }

  @Override
  public Mono<Void> instanceInstalled(String team, String instanceId) {
    return db.sql(
            "insert into team_instance (team, instance_id) values (:team, :id)"
                + " on conflict do nothing")
        .bind("team", team)
        .bind("id", instanceId)
        .then();
  }

  @Override
  public Mono<Void> instanceDeleted(String team, String instanceId) {
    return db.sql("delete from team_instance where team = :team and instance_id = :id")
        .bind("team", team)
        .bind("id", instanceId)
        .then();
  }

  @Override
  public Mono<Void> requestSync(String team, Instant now) {
    return db.sql(
            "insert into team_keycloak_sync (team, seq, requested_at)"
                + " values (:team, nextval('team_keycloak_sync_seq'), :now)"
                + " on conflict (team) do update set seq = nextval('team_keycloak_sync_seq'),"
                + " requested_at = excluded.requested_at")
        .bind("team", team)
        .bind("now", utc(now))
        .then();
  }

  @Override
  public Mono<Long> syncToken(String team) {
    return db.sql("select seq from team_keycloak_sync where team = :team")
        .bind("team", team)
        .map(row -> row.get("seq", Long.class))
        .one();
  }

  @Override
  public Flux<String> pendingSyncs(int limit) {
    return db.sql("select team from team_keycloak_sync order by seq limit :limit")
        .bind("limit", limit)
        .map(row -> row.get("team", String.class))
        .all();
  }

  @Override
  public Mono<Void> syncDone(String team, long token) {
    return db.sql("delete from team_keycloak_sync where team = :team and seq <= :token")
        .bind("team", team)
        .bind("token", token)
        .then();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Team toTeam(Readable row) {
    return new Team(
        row.get("name", String.class),
        row.get("display_name", String.class),
        row.get("version", Long.class),
        row.get("created_at", OffsetDateTime.class).toInstant(),
        row.get("updated_at", OffsetDateTime.class).toInstant());
  }

  private static Member toMember(Readable row) {
    return new Member(
        row.get("team", String.class),
        row.get("user_id", String.class),
        row.get("username", String.class),
        row.get("role", String.class),
        row.get("added_at", OffsetDateTime.class).toInstant());
  }
}
