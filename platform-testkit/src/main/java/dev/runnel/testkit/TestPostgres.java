package dev.runnel.testkit;

import dev.runnel.embedded.Ports;
import dev.runnel.embedded.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM (a {@link PostgresServer} in a temporary directory), with
 * a database per service.
 *
 * <p>Started on first use and stopped by a shutdown hook, so every test class in a JVM shares it.
 * Tests that must not see each other's rows ask for {@link #freshDatabase(String)}.
 */
public final class TestPostgres {
  private static volatile TestPostgres instance;

  private final PostgresServer server;
  private final AtomicInteger counter = new AtomicInteger();

  private TestPostgres(PostgresServer server) {
    this.server = server;
  }

  /** The server of this JVM, started on first call. */
  public static TestPostgres get() {
    TestPostgres local = instance;
    if (local == null) {
      synchronized (TestPostgres.class) {
        local = instance;
        if (local == null) {
          Path dir = scratch();
          TestPostgres started = new TestPostgres(start(dir));
          instance = started;
          local = started;
          Runtime.getRuntime()
              .addShutdownHook(
                  new Thread(
                      () -> {
                        started.server.close();
                        TempDirs.delete(dir);
                      },
                      "test-postgres-stop"));
        }
      }
    }
    return local;
  }

  private static Path scratch() {
    try {
      return Files.createTempDirectory("runnel-test-pg-");
    } catch (IOException e) {
      throw new UncheckedIOException("no temporary directory for PostgreSQL", e);
    }
  }

  private static PostgresServer start(Path dir) {
    try {
      return PostgresServer.start(dir, Ports.free());
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for PostgreSQL", e);
    }
  }

  public int port() {
    return server.port();
  }

  public String username() {
    return server.username();
  }

  public String password() {
    return "postgres";
  }

  /** Creates the database when it does not exist yet, and returns its name. */
  public String database(String name) {
    return server.database(name);
  }

  /** A new, empty database whose name starts with the prefix: isolation between test classes. */
  public String freshDatabase(String prefix) {
    return database(prefix + "_" + counter.incrementAndGet());
  }

  public String jdbcUrl(String database) {
    return server.jdbcUrl(database);
  }

  public String r2dbcUrl(String database) {
    return server.r2dbcUrl(database);
  }

  /** Runs SQL in the given database; for fixtures that the API cannot create yet. */
  public void execute(String database, String sql) {
    try (Connection c = connect(database);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed in " + database + ": " + e.getMessage(), e);
    }
  }

  /** The first column of the first row of a query, or null. */
  public Object queryOne(String database, String sql) {
    try (Connection c = connect(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getObject(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException("query failed in " + database + ": " + e.getMessage(), e);
    }
  }

  private Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), username(), password());
  }
}
