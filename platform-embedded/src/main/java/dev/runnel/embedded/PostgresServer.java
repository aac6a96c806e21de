package dev.runnel.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server (zonky's binaries) whose data directory survives restarts, for {@code
 * runnel up}: the first start runs initdb, later starts find their databases as they were.
 */
public final class PostgresServer implements AutoCloseable {
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private final EmbeddedPostgres server;

  private PostgresServer(EmbeddedPostgres server) {
    this.server = server;
  }

  /** Starts PostgreSQL for tests: zonky's fast settings, which do not survive a machine crash. */
  public static PostgresServer start(Path dataDir, int port) {
    return start(dataDir, port, false);
  }

  /**
   * Starts PostgreSQL on 127.0.0.1:{@code port} with its data in {@code dataDir}.
   *
   * @param durable whether commits reach the disk before they are acknowledged (fsync, synchronous
   *     commit, full page writes): on for data a user keeps, off for throw-away test databases,
   *     where zonky's defaults trade it for speed
   */
  public static PostgresServer start(Path dataDir, int port, boolean durable) {
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPort(port);
      if (durable) {
        builder
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on");
      }
      return new PostgresServer(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not start in " + dataDir, e);
    }
  }

  public int port() {
    return server.getPort();
  }

  public String username() {
    return "postgres";
  }

  /** Creates the database unless it exists; returns its name. */
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

  public String r2dbcUrl(String database) {
    return "r2dbc:postgresql://127.0.0.1:" + port() + "/" + database;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
    }
  }
}
