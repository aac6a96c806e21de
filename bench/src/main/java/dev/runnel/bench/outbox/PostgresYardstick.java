package dev.runnel.bench.outbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The second yardstick: how long one statement round trip to PostgreSQL takes on this machine at
 * this moment, measured as sequential single-row inserts in one transaction over JDBC. The kit's
 * consumer makes two such round trips per event (inbox row, then the handler's row) one after the
 * other, so {@code 1 / (2 x round trip)} is the ceiling of one consumer here, whatever Kafka does.
 */
final class PostgresYardstick {
  private PostgresYardstick() {}

  /** Mean microseconds per statement over {@code count} inserts. */
  static double roundTripMicros(String jdbcUrl, String user, String password, int count)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
      try (Statement s = c.createStatement()) {
        s.execute("create temporary table bench_round_trip (id text, at timestamptz)");
      }
      c.setAutoCommit(false);
      try (PreparedStatement insert =
          c.prepareStatement("insert into bench_round_trip values (?, clock_timestamp())")) {
        // Past the driver's prepare threshold first, so every timed call is a server-side
        // prepared statement, as R2DBC's are.
        for (int i = 0; i < 100; i++) {
          insert.setString(1, "warm-" + i);
          insert.executeUpdate();
        }
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
          insert.setString(1, "id-" + i);
          insert.executeUpdate();
        }
        double micros = (System.nanoTime() - start) / 1e3 / count;
        c.commit();
        return micros;
      }
    }
  }
}
