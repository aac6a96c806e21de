package dev.runnel.kit.db;

import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Brings a service's database to the current schema before anything else touches it: first the
 * platform kit's own tables (outbox, inbox) with their own history table, then the service's.
 *
 * <p>Flyway speaks JDBC; the JDBC URL is derived from the service's R2DBC URL so that an operator
 * configures one database address, not two.
 */
public final class DatabaseMigrations implements InitializingBean {
  private static final Logger log = LoggerFactory.getLogger(DatabaseMigrations.class);

  private final String jdbcUrl;
  private final String username;
  private final String password;
  private final List<String> serviceLocations;
  private volatile String schemaVersion = "none";

  public DatabaseMigrations(
      String r2dbcUrl, String username, String password, List<String> serviceLocations) {
    this.jdbcUrl = jdbcUrl(r2dbcUrl);
    this.username = username;
    this.password = password;
    this.serviceLocations = List.copyOf(serviceLocations);
  }

  /** {@code r2dbc:postgresql://h:p/db?x} or {@code r2dbc:pool:postgresql://...} to JDBC form. */
  static String jdbcUrl(String r2dbcUrl) {
    if (r2dbcUrl == null || !r2dbcUrl.startsWith("r2dbc:")) {
      throw new IllegalArgumentException(
          "spring.r2dbc.url must be an r2dbc: URL such as r2dbc:postgresql://host:5432/db");
    }
    String rest = r2dbcUrl.substring("r2dbc:".length());
    if (rest.startsWith("pool:")) {
      rest = rest.substring("pool:".length());
    }
    if (!rest.startsWith("postgresql://")) {
      throw new IllegalArgumentException("Runnel services need PostgreSQL, not " + r2dbcUrl);
    }
    return "jdbc:" + rest;
  }

  @Override
  public void afterPropertiesSet() {
    MigrateResult kit =
        Flyway.configure()
            .dataSource(jdbcUrl, username, password)
            .locations("classpath:db/kit")
            .table("flyway_kit_history")
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
    MigrateResult service =
        Flyway.configure()
            .dataSource(jdbcUrl, username, password)
            .locations(serviceLocations.toArray(String[]::new))
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
    schemaVersion = service.targetSchemaVersion != null ? service.targetSchemaVersion : "none";
    log.info(
        "database migrated: kit {} migration(s), service {} migration(s), schema version {}",
        kit.migrationsExecuted,
        service.migrationsExecuted,
        schemaVersion);
  }

  /** The service schema version after migration, for the service's about document. */
  public String schemaVersion() {
    return schemaVersion;
  }
}
