package dev.runnel.kit.events;

import dev.runnel.kit.config.RunnelProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Publishes outbox rows to Kafka and deletes them once Kafka has acknowledged them.
 *
 * <p>Each round runs in one database transaction that first takes a transaction-scoped advisory
 * lock, so that of several replicas of a service exactly one relays at a time and rows leave in
 * {@code seq} order; the producer is idempotent with in-flight requests bounded, so Kafka keeps
 * that order per key. A failure anywhere (Kafka down, a timeout, the process killed) rolls the
 * round back: the rows stay and are sent again, and consumers drop the duplicates by event id.
 * Nothing is deleted that Kafka has not acknowledged.
 */
public final class OutboxRelay implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final long LOCK_KEY = 0x52756e6e656cL; // "Runnel"
  private static final Duration INITIAL_BACKOFF = Duration.ofMillis(100);

  private final DatabaseClient db;
  private final TransactionalOperator tx;
  private final KafkaTemplate<String, byte[]> kafka;
  private final RunnelProperties.Events settings;
  private final String source;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong lagMillis = new AtomicLong();
  private final Counter published;
  private final Counter failures;
  private volatile Thread worker;
  private volatile boolean running;
  private volatile long lastStatsNanos;

  public OutboxRelay(
      DatabaseClient db,
      TransactionalOperator tx,
      KafkaTemplate<String, byte[]> kafka,
      RunnelProperties properties,
      MeterRegistry meters) {
    this.db = db;
    this.tx = tx;
    this.kafka = kafka;
    this.settings = properties.events();
    this.source = properties.source();
    Gauge.builder("runnel.outbox.pending", pending, AtomicLong::get)
        .description("Outbox rows not yet acknowledged by Kafka")
        .register(meters);
    Gauge.builder("runnel.outbox.lag", lagMillis, v -> v.get() / 1000.0)
        .description("Age of the oldest unpublished outbox row")
        .baseUnit("seconds")
        .register(meters);
    this.published =
        Counter.builder("runnel.outbox.published")
            .description("Events acknowledged by Kafka")
            .register(meters);
    this.failures =
        Counter.builder("runnel.outbox.failures")
            .description("Relay rounds that failed and will be retried")
            .register(meters);
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    worker = new Thread(this::loop, "outbox-relay");
    worker.setDaemon(true);
    worker.start();
  }

  @Override
  public synchronized void stop() {
    running = false;
    Thread t = worker;
    if (t != null) {
      t.interrupt();
      try {
        t.join(Duration.ofSeconds(20).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    worker = null;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    // Stop before the database and Kafka clients do.
    return Integer.MAX_VALUE - 100;
  }

  private void loop() {
    Duration backoff = INITIAL_BACKOFF;
    int consecutiveFailures = 0;
    while (running) {
      try {
        int sent = relayOnce();
        if (consecutiveFailures > 0) {
          log.info("outbox relay recovered after {} failed attempt(s)", consecutiveFailures);
        }
        consecutiveFailures = 0;
        backoff = INITIAL_BACKOFF;
        refreshStats(false);
        if (sent < settings.relayBatchSize()) {
          Thread.sleep(settings.relayIdleDelay().toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        failures.increment();
        consecutiveFailures++;
        if (consecutiveFailures == 1 || consecutiveFailures % 20 == 0) {
          log.warn(
              "outbox relay attempt {} failed, retrying in {} ms: {}",
              consecutiveFailures,
              backoff.toMillis(),
              rootMessage(e));
        }
        try {
          refreshStats(true);
        } catch (RuntimeException statsFailure) {
          // The database may be what failed; the gauges keep their last values until it is back.
          log.debug("outbox statistics unavailable: {}", statsFailure.getMessage());
        }
        try {
          Thread.sleep(backoff.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = backoff.multipliedBy(2);
        if (backoff.compareTo(settings.relayMaxBackoff()) > 0) {
          backoff = settings.relayMaxBackoff();
        }
      }
    }
  }

  /** One round: lock, read a batch in order, publish, wait for acks, delete. Returns rows sent. */
  int relayOnce() {
    Mono<Integer> round =
        db.sql("select pg_try_advisory_xact_lock(:key) as locked")
            .bind("key", LOCK_KEY)
            .map(row -> Boolean.TRUE.equals(row.get("locked", Boolean.class)))
            .one()
            .flatMap(locked -> locked ? publishBatch() : Mono.just(0));
    Integer sent = tx.transactional(round).block(settings.sendTimeout().plusSeconds(30));
    return sent == null ? 0 : sent;
  }

  private Mono<Integer> publishBatch() {
    return db.sql(
            "select seq, id, topic, type, subject, team, actor, traceparent, occurred_at, data"
                + " from runnel_outbox order by seq limit :limit")
        .bind("limit", settings.relayBatchSize())
        .map(OutboxRelay::toRow)
        .all()
        .collectList()
        .flatMap(
            rows -> {
              if (rows.isEmpty()) {
                return Mono.just(0);
              }
              return send(rows)
                  .then(
                      db.sql("delete from runnel_outbox where seq = any(:seqs)")
                          .bind("seqs", rows.stream().map(OutboxRow::seq).toArray(Long[]::new))
                          .fetch()
                          .rowsUpdated())
                  .map(
                      deleted -> {
                        published.increment(rows.size());
                        return rows.size();
                      });
            });
  }

  private Mono<Void> send(List<OutboxRow> rows) {
    CompletableFuture<?>[] acks = new CompletableFuture<?>[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      ProducerRecord<String, byte[]> record = CloudEventCodec.toRecord(rows.get(i), source);
      acks[i] = kafka.send(record);
    }
    return Mono.fromFuture(CompletableFuture.allOf(acks)).timeout(settings.sendTimeout()).then();
  }

  private static OutboxRow toRow(Readable row) {
    OffsetDateTime occurred = row.get("occurred_at", OffsetDateTime.class);
    return new OutboxRow(
        row.get("seq", Long.class),
        row.get("id", UUID.class),
        row.get("topic", String.class),
        row.get("type", String.class),
        row.get("subject", String.class),
        row.get("team", String.class),
        row.get("actor", String.class),
        row.get("traceparent", String.class),
        occurred == null ? Instant.now() : occurred.toInstant(),
        row.get("data", String.class));
  }

  /** Updates the pending and lag gauges, at most once a second unless forced. */
  private void refreshStats(boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastStatsNanos < 1_000_000_000L) {
      return;
    }
    lastStatsNanos = now;
    db.sql(
            "select count(*) as n, coalesce(extract(epoch from (now() - min(occurred_at))) * 1000,"
                + " 0) as lag from runnel_outbox")
        .map(
            row -> {
              pending.set(row.get("n", Long.class));
              Number lag = row.get("lag", Number.class);
              lagMillis.set(lag == null ? 0 : Math.max(0, lag.longValue()));
              return 1;
            })
        .one()
        .block(Duration.ofSeconds(5));
  }

  /** Rows waiting to be published, as of the last statistics refresh. */
  public long pending() {
    return pending.get();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
