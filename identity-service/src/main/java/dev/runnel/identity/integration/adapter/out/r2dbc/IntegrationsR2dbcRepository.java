package dev.runnel.identity.integration.adapter.out.r2dbc;

import dev.runnel.identity.integration.application.Integrations;
import dev.runnel.identity.integration.domain.Integration;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class IntegrationsR2dbcRepository implements Integrations {
  private static final String COLUMNS =
      "id, team, name, client_id, client_uuid, service_account_user_id, role, created_by,"
          + " created_at";
  private final DatabaseClient db;

  IntegrationsR2dbcRepository(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Mono<Void> insert(Integration i) {
    return db.sql(
            "insert into integration ("
                + COLUMNS
                + ") values (:id, :team, :name, :clientId, :clientUuid, :sa, :role, :by, :at)")
        .bind("id", i.id())
        .bind("team", i.team())
        .bind("name", i.name())
        .bind("clientId", i.clientId())
        .bind("clientUuid", i.clientUuid())
        .bind("sa", i.serviceAccountUserId())
        .bind("role", i.role())
        .bind("by", i.createdBy())
        .bind("at", i.createdAt().atOffset(ZoneOffset.UTC))
        .then();
  }

  @Override
  public Flux<Integration> ofTeam(String team) {
    return db.sql("select " + COLUMNS + " from integration where team = :team order by name")
        .bind("team", team)
        .map(IntegrationsR2dbcRepository::toIntegration)
        .all();
  }

  @Override
  public Mono<Integration> find(String team, UUID id) {
    return db.sql("select " + COLUMNS + " from integration where team = :team and id = :id")
        .bind("team", team)
        .bind("id", id)
        .map(IntegrationsR2dbcRepository::toIntegration)
        .one();
  }

  @Override
  public Mono<Integration> findByName(String team, String name) {
    return db.sql("select " + COLUMNS + " from integration where team = :team and name = :name")
        .bind("team", team)
        .bind("name", name)
        .map(IntegrationsR2dbcRepository::toIntegration)
        .one();
  }

  @Override
  public Mono<Void> delete(UUID id) {
    return db.sql("delete from integration where id = :id").bind("id", id).then();
  }

  private static Integration toIntegration(Readable row) {
    return new Integration(
        row.get("id", UUID.class),
        row.get("team", String.class),
        row.get("name", String.class),
        row.get("client_id", String.class),
        row.get("client_uuid", String.class),
        row.get("service_account_user_id", String.class),
        row.get("role", String.class),
        row.get("created_by", String.class),
        row.get("created_at", OffsetDateTime.class).toInstant());
  }
}
