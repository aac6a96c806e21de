package dev.runnel.kit.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseMigrationsTest {
  @Test
  void derivesTheJdbcUrlFromTheR2dbcUrl() {
    assertThat(DatabaseMigrations.jdbcUrl("r2dbc:postgresql://db:5432/market?sslmode=require"))
        .isEqualTo("jdbc:postgresql://db:5432/market?sslmode=require");
    assertThat(DatabaseMigrations.jdbcUrl("r2dbc:pool:postgresql://db/market"))
        .isEqualTo("jdbc:postgresql://db/market");
  }

  @Test
  void refusesWhatIsNotPostgresql() {
    assertThatThrownBy(() -> DatabaseMigrations.jdbcUrl("r2dbc:h2:mem:///x"))
        .hasMessageContaining("need PostgreSQL");
    assertThatThrownBy(() -> DatabaseMigrations.jdbcUrl("jdbc:postgresql://db/x"))
        .hasMessageContaining("must be an r2dbc: URL");
  }
}
