package dev.runnel.bench.outbox;

import dev.runnel.bench.stats.LatencySummary;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;

/** Reads what the sink handled from its {@code bench_event} table. */
final class SinkTable implements AutoCloseable {
  /**
   * The first handling of each event: with duplicates, lag and order are judged on the first time
   * an event was handled, and duplicates are counted separately.
   */
  private static final String FIRST_HANDLING =
      "(select distinct on (event_id) event_id, subject, n, occurred_at, handled_at, handled_seq"
          + " from bench_event order by event_id, handled_seq) first_handling";

  private final Connection connection;

  SinkTable(String jdbcUrl, String user, String password) throws SQLException {
    this.connection = DriverManager.getConnection(jdbcUrl, user, password);
  }

  /** Rows handled so far (duplicates included). */
  long handledRows() throws SQLException {
    return queryLong("select count(*) from bench_event");
  }

  void clear() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("truncate bench_event");
    }
  }

  /** What one run left in the table. */
  Result result() throws SQLException {
    long rows;
    long distinct;
    Instant firstOccurred;
    Instant firstHandled;
    Instant lastHandled;
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select count(*), count(distinct event_id), min(occurred_at), min(handled_at),"
                    + " max(handled_at) from bench_event")) {
      rs.next();
      rows = rs.getLong(1);
      distinct = rs.getLong(2);
      firstOccurred = rs.getTimestamp(3).toInstant();
      firstHandled = rs.getTimestamp(4).toInstant();
      lastHandled = rs.getTimestamp(5).toInstant();
    }
    long orderViolations =
        queryLong(
            "select count(*) from (select n, lag(n) over (partition by subject order by"
                + " handled_seq) as previous from "
                + FIRST_HANDLING
                + ") ordered where previous > n");
    return new Result(
        rows,
        distinct,
        firstOccurred,
        firstHandled,
        lastHandled,
        LatencySummary.of(lagsMillis(distinct)),
        orderViolations);
  }

  private double[] lagsMillis(long expected) throws SQLException {
    double[] lags = new double[(int) expected];
    int i = 0;
    try (Statement s = connection.createStatement()) {
      s.setFetchSize(10_000);
      try (ResultSet rs =
          s.executeQuery(
              "select extract(epoch from (handled_at - occurred_at)) * 1000 from "
                  + FIRST_HANDLING)) {
        while (rs.next() && i < lags.length) {
          lags[i++] = rs.getDouble(1);
        }
      }
    }
    return i == lags.length ? lags : Arrays.copyOf(lags, i);
  }

  private long queryLong(String sql) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }

  /**
   * @param rows rows in the table, duplicates included
   * @param distinct distinct event ids handled
   * @param firstOccurred the earliest {@code occurred_at}: when the run's first event was written
   * @param firstHandled when the first event was handled
   * @param lastHandled when the last event was handled
   * @param lag occurred-to-handled latency of each event's first handling
   * @param orderViolations events handled after a later event of the same aggregate
   */
  record Result(
      long rows,
      long distinct,
      Instant firstOccurred,
      Instant firstHandled,
      Instant lastHandled,
      LatencySummary lag,
      long orderViolations) {

    long duplicates() {
      return rows - distinct;
    }

    /** Events per second from the first write to the last handling. */
    double endToEndRate() {
      return distinct / seconds(firstOccurred, lastHandled);
    }

    /** Events per second from the first handling to the last: the consumer's own pace. */
    double handlingRate() {
      return distinct / seconds(firstHandled, lastHandled);
    }

    private static double seconds(Instant from, Instant to) {
      return Math.max(1, java.time.Duration.between(from, to).toNanos()) / 1e9;
    }
  }
}
