package dev.runnel.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One real PostgreSQL server per test JVM (zonky binaries), with a database per service.
 *
 * <p>Started on first use and stopped by a shutdown hook, so every test class in a JVM shares it.
 * Tests that must not see each other's rows ask for {@link #freshDatabase(String)}.
 */
public final class TestPostgres {
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static volatile TestPostgres instance;

  private final EmbeddedPostgres server;
  private final AtomicInteger counter = new AtomicInteger();

  private TestPostgres(EmbeddedPostgres server) {
    this.server = server;
  }

  /** The server of this JVM, started on first call. */
  public static TestPostgres get() {
    TestPostgres local = instance;
    if (local == null) {
      synchronized (TestPostgres.class) {
        local = instance;
        if (local == null) {
          local = new TestPostgres(start());
          instance = local;
          Runtime.getRuntime().addShutdownHook(new Thread(instance::close, "test-postgres-stop"));
        }
      }
    }
    return local;
  }

  private static EmbeddedPostgres start() {
    try {
      return EmbeddedPostgres.builder().setPort(0).start();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
  }

  public int port() {
    return server.getPort();
  }

  public String username() {
    return "postgres";
  }

  public String password() {
    return "postgres";
  }

  /** Creates the database when it does not exist yet, and returns its name. */
  public String database(String name) {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain database name: " + name);
    }
    try (Connection c = server.getPostgresDatabase().getConnection()) {
      try (PreparedStatement exists =
          c.prepareStatement("select 1 from pg_database where datname = ?")) {
        exists.setString(1, name);
        try (ResultSet rs = exists.executeQuery()) {
          if (rs.next()) {
            return name;
          }
        }
      }
      try (Statement create = c.createStatement()) {
        create.execute("create database " + name);
      }
      return name;
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
  }

  /** A new, empty database whose name starts with the prefix: isolation between test classes. */
  public String freshDatabase(String prefix) {
    return database(prefix + "_" + counter.incrementAndGet());
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
  }

  public String r2dbcUrl(String database) {
    return "r2dbc:postgresql://127.0.0.1:" + port() + "/" + database;
  }

  /** Runs SQL in the given database; for fixtures that the API cannot create yet. */
  public void execute(String database, String sql) {
    try (Connection c = server.getDatabase(username(), database).getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed in " + database + ": " + e.getMessage(), e);
    }
  }

  /** The first column of the first row of a query, or null. */
  public Object queryOne(String database, String sql) {
    try (Connection c = server.getDatabase(username(), database).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getObject(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException("query failed in " + database + ": " + e.getMessage(), e);
    }
  }

  private void close() {
    try {
      server.close();
    } catch (IOException e) {
      System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
    }
  }
}
