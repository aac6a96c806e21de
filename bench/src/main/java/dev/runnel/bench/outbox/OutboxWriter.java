package dev.runnel.bench.outbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Writes benchmark events straight into the relay service's {@code runnel_outbox}, as the kit's
 * {@code Outbox} would inside a service transaction. Each event carries its global insertion number
 * {@code n}, so the sink can check per-aggregate order, and {@code occurred_at} is the moment the
 * row is written, the start of the lag the benchmark reports.
 */
final class OutboxWriter implements AutoCloseable {
  static final String TOPIC = "runnel.bench";
  static final String TYPE = "runnel.bench.item.created.v1";

  private final Connection connection;
  private final PreparedStatement insert;
  private final int subjects;
  private final String subjectPrefix;
  private long next;

  OutboxWriter(String jdbcUrl, String user, String password, int subjects, String subjectPrefix)
      throws SQLException {
    // Batched inserts are rewritten into multi-row statements: the driver should not be the
    // bottleneck it measures.
    this.connection =
        DriverManager.getConnection(jdbcUrl + "?reWriteBatchedInserts=true", user, password);
    this.connection.setAutoCommit(false);
    this.insert =
        connection.prepareStatement(
            "insert into runnel_outbox (id, topic, type, subject, actor, occurred_at, data)"
                + " values (?, ?, ?, ?, 'bench', ?, ?)");
    this.subjects = subjects;
    this.subjectPrefix = subjectPrefix;
  }

  /** Writes {@code count} events in one transaction. */
  void writeTransaction(int count) throws SQLException {
    for (int i = 0; i < count; i++) {
      long n = next++;
      insert.setObject(1, UUID.randomUUID());
      insert.setString(2, TOPIC);
      insert.setString(3, TYPE);
      insert.setString(4, subjectPrefix + (n % subjects));
      insert.setObject(5, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
      insert.setString(6, "{\"n\":" + n + ",\"name\":\"item " + n + "\"}");
      insert.addBatch();
    }
    insert.executeBatch();
    connection.commit();
  }

  /**
   * Writes {@code total} events as fast as one connection can, {@code perTransaction} at a time.
   * {@code progress} hears the running count after each commit.
   */
  void writeAsFastAsPossible(long total, int perTransaction, LongConsumer progress)
      throws SQLException {
    long written = 0;
    while (written < total) {
      int count = (int) Math.min(perTransaction, total - written);
      writeTransaction(count);
      written += count;
      progress.accept(written);
    }
  }

  /**
   * Writes {@code total} events at a steady {@code perSecond}: every {@code tickMillis} one
   * transaction holding what has come due since the last one. If a commit falls behind, the next
   * transaction catches up (up to {@code maxPerTransaction}), so the offered rate holds on average.
   */
  void writeAtRate(
      long total, int perSecond, int tickMillis, int maxPerTransaction, LongConsumer progress)
      throws SQLException {
    long start = System.nanoTime();
    long written = 0;
    long tick = tickMillis * 1_000_000L;
    long nextTick = start;
    while (written < total) {
      long due = Math.min(total, (System.nanoTime() - start) * perSecond / 1_000_000_000L);
      if (due > written) {
        int count = (int) Math.min(maxPerTransaction, due - written);
        writeTransaction(count);
        written += count;
        progress.accept(written);
      }
      nextTick += tick;
      long wait = nextTick - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }

  @Override
  public void close() throws SQLException {
    insert.close();
    connection.close();
  }
}
