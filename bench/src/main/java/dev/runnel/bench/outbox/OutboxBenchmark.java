package dev.runnel.bench.outbox;

import dev.runnel.bench.support.ChildProcess;
import dev.runnel.bench.support.CpuMeter;
import dev.runnel.bench.support.PostgresProcesses;
import dev.runnel.testkit.KafkaBroker;
import dev.runnel.testkit.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Outbox to Kafka to consumer, with the platform kit's own relay and inbox consumer in two separate
 * service JVMs, one embedded PostgreSQL and one KRaft broker.
 *
 * <p>Normal mode measures, in one run: the yardstick (a plain producer and consumer on the same
 * broker), the relay alone (outbox drained into Kafka with no consumer running), the consumer alone
 * (the resulting backlog drained by the sink), end to end as fast as one writer can, and end to end
 * at a steady offered rate (the latency figure). Fault mode ({@code --faults}) runs the paced run
 * while the relay is killed with SIGKILL at 25 % and 60 % of the writes and the broker is stopped
 * and started at 45 %, then counts what was lost, duplicated and reordered.
 */
public final class OutboxBenchmark {
  private static final String GROUP = "benchsink.bench-sink";
  private static final int PARTITIONS = 6;

  private final Options options;
  private final TestPostgres postgres;
  private final KafkaBroker broker;
  private final BenchServices services;
  private final Report report;
  private final PostgresProcesses postgresProcesses;
  private final CpuMeter cpu = new CpuMeter(this::component);
  private Connection relayDb;
  private volatile BenchServices.Service relay;
  private volatile BenchServices.Service sink;

  private OutboxBenchmark(
      Options options,
      TestPostgres postgres,
      KafkaBroker broker,
      BenchServices services,
      Report report) {
    this.options = options;
    this.postgres = postgres;
    this.broker = broker;
    this.services = services;
    this.report = report;
    this.postgresProcesses = new PostgresProcesses(postgres.port());
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    long started = System.nanoTime();
    System.out.println("starting embedded PostgreSQL and a KRaft broker ...");
    TestPostgres postgres = TestPostgres.get();
    postgres.database(BenchServices.RELAY_DB);
    postgres.database(BenchServices.SINK_DB);
    KafkaBroker broker = KafkaBroker.startNew();
    List<String> relayProperties = new ArrayList<>();
    if (options.relayBatchSize() > 0) {
      relayProperties.add("--runnel.events.relay-batch-size=" + options.relayBatchSize());
    }
    List<String> sinkProperties = new ArrayList<>();
    if (options.consumerConcurrency() > 0) {
      sinkProperties.add("--runnel.events.consumer-concurrency=" + options.consumerConcurrency());
    }
    if (options.perEventHandler()) {
      sinkProperties.add("--runnel.bench.per-event-handler=true");
    }
    Report report =
        new Report(options, postgresSettings(postgres), relayProperties, sinkProperties);
    BenchServices services =
        new BenchServices(
            postgres, broker, options.logDir(), relayProperties, sinkProperties, options.jfr());
    OutboxBenchmark bench = new OutboxBenchmark(options, postgres, broker, services, report);
    int status = 0;
    try {
      if (options.faults()) {
        bench.runWithFaults();
      } else {
        bench.runAll();
      }
    } catch (Exception e) {
      System.out.println("the benchmark could not finish; logs are in " + options.logDir());
      e.printStackTrace(System.out);
      status = 1;
    } finally {
      bench.stopServices();
    }
    report.print(Duration.ofNanos(System.nanoTime() - started));
    // Kafka client threads would keep the JVM alive; the children (relay, sink, broker,
    // PostgreSQL) are ended by their shutdown hooks.
    System.exit(status);
  }

  private void runAll() throws Exception {
    if (options.runs().contains("yardstick")) {
      yardstick();
    }
    System.out.println("starting the relay service ...");
    relay = services.launchRelay();
    relay.awaitReady();

    // The consumer-alone run drains the backlog the relay-alone run leaves on the topic.
    boolean backlog = options.runs().contains("relay") || options.runs().contains("consumer");
    if (backlog) {
      System.out.println("relay alone: " + options.events() + " events, no consumer running");
      try (OutboxWriter writer = writer("agg-")) {
        CpuMeter.Snapshot cpuBefore = cpu.snapshot();
        long start = System.nanoTime();
        writer.writeAsFastAsPossible(options.events(), 500, written -> {});
        double writeSeconds = secondsSince(start);
        awaitOutboxEmpty(Duration.ofSeconds(180));
        if (options.runs().contains("relay")) {
          report.relayOnly(options.events() / secondsSince(start), options.events() / writeSeconds);
          report.cpu("relay alone", cpu.snapshot().since(cpuBefore));
        }
      }
    }

    System.out.println("starting the sink service ...");
    sink = services.launchSink();
    sink.awaitReady();
    try (SinkTable table = sinkTable();
        Admin admin = admin()) {
      if (backlog) {
        System.out.println("consumer alone: the sink drains the backlog of " + options.events());
        CpuMeter.Snapshot cpuBefore = cpu.snapshot();
        awaitHandled(table, options.events(), Duration.ofSeconds(300));
        awaitQuiet(admin, Duration.ofSeconds(60));
        if (options.runs().contains("consumer")) {
          report.consumerOnly(table.result());
          report.cpu("consumer alone (from the sink's readiness)", cpu.snapshot().since(cpuBefore));
        }
        table.clear();
      } else {
        warmUp(table, admin);
      }

      if (options.runs().contains("max")) {
        System.out.println(
            "end to end, as fast as one writer can: " + options.events() + " events");
        long topicBefore = topicRecords(admin);
        CpuMeter.Snapshot cpuBefore = cpu.snapshot();
        try (OutboxWriter writer = writer("agg-")) {
          writer.writeAsFastAsPossible(options.events(), 500, written -> {});
        }
        awaitHandled(table, options.events(), Duration.ofSeconds(300));
        awaitQuiet(admin, Duration.ofSeconds(60));
        report.cpu("end to end, as fast as possible", cpu.snapshot().since(cpuBefore));
        report.endToEnd(
            "end to end, as fast as possible", table.result(), topicRecords(admin) - topicBefore);
        table.clear();
      }

      if (options.runs().contains("paced")) {
        System.out.println(
            "end to end, paced at " + options.rate() + "/s: " + options.events() + " events");
        long topicBefore = topicRecords(admin);
        CpuMeter.Snapshot cpuBefore = cpu.snapshot();
        try (OutboxWriter writer = writer("agg-")) {
          writer.writeAtRate(options.events(), options.rate(), 10, 500, written -> {});
        }
        awaitHandled(table, options.events(), Duration.ofSeconds(300));
        awaitQuiet(admin, Duration.ofSeconds(60));
        report.cpu("end to end, paced", cpu.snapshot().since(cpuBefore));
        report.endToEnd(
            String.format(Locale.ROOT, "end to end, paced %,d/s", options.rate()),
            table.result(),
            topicRecords(admin) - topicBefore);
        table.clear();
      }
    }
  }

  private void yardstick() throws Exception {
    System.out.println("yardstick: plain producer and consumer, " + options.events() + " records");
    report.yardstick(
        KafkaYardstick.run(
            broker.bootstrapServers(), options.events(), PARTITIONS, options.subjects()));
    report.roundTrip(roundTrip());
  }

  private double roundTrip() throws SQLException {
    return PostgresYardstick.roundTripMicros(
        postgres.jdbcUrl(BenchServices.SINK_DB), postgres.username(), postgres.password(), 5_000);
  }

  /**
   * Events at the paced rate, not counted: the relay and the sink are new JVMs, and without it the
   * measured run would include their JIT compilation. 30,000 (or all of a smaller run's count):
   * with 10,000 the relay still spent twice the CPU per event of a warm one.
   */
  private void warmUp(SinkTable table, Admin admin) throws Exception {
    int warmUp = Math.min(options.events(), 30_000);
    System.out.println("warm-up: " + warmUp + " events, not counted");
    try (OutboxWriter writer = writer("warm-")) {
      writer.writeAtRate(warmUp, options.rate(), 10, 500, written -> {});
    }
    awaitHandled(table, warmUp, Duration.ofSeconds(300));
    awaitQuiet(admin, Duration.ofSeconds(60));
    table.clear();
  }

  private void runWithFaults() throws Exception {
    yardstick();
    System.out.println("starting the relay and sink services ...");
    relay = services.launchRelay();
    sink = services.launchSink();
    relay.awaitReady();
    sink.awaitReady();
    try (SinkTable table = sinkTable();
        Admin admin = admin()) {
      warmUp(table, admin);

      System.out.println(
          "paced at " + options.rate() + "/s with faults: " + options.events() + " events");
      long topicBefore = topicRecords(admin);
      CpuMeter.Snapshot cpuBefore = cpu.snapshot();
      long runStart = System.nanoTime();
      ExecutorService relayFaults = Executors.newSingleThreadExecutor();
      ExecutorService brokerFaults = Executors.newSingleThreadExecutor();
      long total = options.events();
      List<Future<Void>> injected = new ArrayList<>();
      // Faults run on their own threads so that the writer keeps its pace through them.
      LongConsumer faults =
          new LongConsumer() {
            private int stage;

            @Override
            public void accept(long written) {
              if (stage == 0 && written >= total * 25 / 100) {
                stage++;
                injected.add(relayFaults.submit(() -> killRelay(runStart)));
              } else if (stage == 1 && written >= total * 45 / 100) {
                stage++;
                injected.add(brokerFaults.submit(() -> restartBroker(runStart)));
              } else if (stage == 2 && written >= total * 60 / 100) {
                stage++;
                injected.add(relayFaults.submit(() -> killRelay(runStart)));
              }
            }
          };
      try (OutboxWriter writer = writer("agg-")) {
        writer.writeAtRate(total, options.rate(), 10, 500, faults);
      }
      report.fault(secondsSince(runStart), "all " + total + " events written");
      relayFaults.shutdown();
      brokerFaults.shutdown();
      if (!relayFaults.awaitTermination(5, TimeUnit.MINUTES)
          || !brokerFaults.awaitTermination(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("a fault did not complete within 5 minutes");
      }
      for (Future<Void> fault : injected) {
        // Surfaces a relay or broker that failed to come back.
        fault.get();
      }
      awaitHandled(table, total, Duration.ofSeconds(420));
      report.fault(secondsSince(runStart), "sink holds every event");
      awaitQuiet(admin, Duration.ofSeconds(120));
      report.cpu("with faults", cpu.snapshot().since(cpuBefore));
      report.endToEnd(
          String.format(Locale.ROOT, "end to end, paced %,d/s, with faults", options.rate()),
          table.result(),
          topicRecords(admin) - topicBefore);
    }
  }

  /** Services first, so that they do not log the broker and database going away under them. */
  private void stopServices() {
    for (BenchServices.Service s : new BenchServices.Service[] {relay, sink}) {
      if (s != null) {
        s.process().stop(Duration.ofSeconds(20));
      }
    }
    if (relayDb != null) {
      try {
        relayDb.close();
      } catch (SQLException e) {
        System.out.println("closing the relay database connection failed: " + e.getMessage());
      }
    }
  }

  /**
   * SIGKILL the relay, start a new one at once, and wait until it has started, so that the next
   * kill hits a running relay rather than a JVM still booting.
   */
  private Void killRelay(long runStart) {
    BenchServices.Service victim = relay;
    victim.process().kill();
    report.fault(
        secondsSince(runStart), "relay " + victim.process().name() + " killed with SIGKILL");
    long restart = System.nanoTime();
    relay = services.launchRelay();
    relay.awaitStarted();
    report.fault(
        secondsSince(runStart),
        String.format(
            Locale.ROOT,
            "relay %s started, %.1f s after the kill",
            relay.process().name(),
            secondsSince(restart)));
    return null;
  }

  private Void restartBroker(long runStart) {
    report.fault(secondsSince(runStart), "broker stop (SIGTERM)");
    long stop = System.nanoTime();
    broker.stop();
    report.fault(
        secondsSince(runStart),
        String.format(Locale.ROOT, "broker stopped after %.1f s, starting", secondsSince(stop)));
    long start = System.nanoTime();
    broker.start();
    report.fault(
        secondsSince(runStart),
        String.format(Locale.ROOT, "broker answering after %.1f s", secondsSince(start)));
    return null;
  }

  /** Which part of the benchmark a child process of the driver is, for the CPU figures. */
  private Optional<String> component(ProcessHandle p) {
    if (postgresProcesses.contains(p)) {
      return Optional.of("postgres");
    }
    // Other engineers may run brokers and services on the same machine: only count ours.
    if (!CpuMeter.isOurs(p)) {
      return Optional.empty();
    }
    String line = CpuMeter.commandLine(p);
    if (line.contains("KafkaBrokerMain") || line.contains("KafkaServerMain")) {
      return Optional.of("broker");
    }
    if (line.contains("BenchRelayApplication")) {
      return Optional.of("relay");
    }
    if (line.contains("BenchSinkApplication")) {
      return Optional.of("sink");
    }
    return Optional.empty();
  }

  private static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }

  private OutboxWriter writer(String subjectPrefix) throws SQLException {
    return new OutboxWriter(
        postgres.jdbcUrl(BenchServices.RELAY_DB),
        postgres.username(),
        postgres.password(),
        options.subjects(),
        subjectPrefix);
  }

  private SinkTable sinkTable() throws SQLException {
    return new SinkTable(
        postgres.jdbcUrl(BenchServices.SINK_DB), postgres.username(), postgres.password());
  }

  private Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            10_000));
  }

  private void awaitOutboxEmpty(Duration timeout) throws SQLException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (outboxRows() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the relay left "
                + outboxRows()
                + " rows in the outbox after "
                + timeout.toSeconds()
                + " s");
      }
      ChildProcess.sleep(Duration.ofMillis(50));
    }
  }

  /**
   * Over one connection kept open: a new one per poll would fork a PostgreSQL backend each time.
   */
  private long outboxRows() throws SQLException {
    if (relayDb == null) {
      relayDb =
          DriverManager.getConnection(
              postgres.jdbcUrl(BenchServices.RELAY_DB), postgres.username(), postgres.password());
    }
    try (Statement s = relayDb.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from runnel_outbox")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void awaitHandled(SinkTable table, long expected, Duration timeout)
      throws SQLException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long handled;
    while ((handled = table.handledRows()) < expected) {
      if (System.nanoTime() > deadline) {
        // Report what arrived rather than fail: the missing events are the finding.
        System.out.println(
            "timed out after "
                + timeout.toSeconds()
                + " s with "
                + handled
                + " of "
                + expected
                + " events handled");
        return;
      }
      ChildProcess.sleep(Duration.ofMillis(200));
    }
  }

  /**
   * Waits until the outbox is empty and the sink's group has committed every offset of the topic:
   * after that nothing more can arrive, so the duplicate count is final.
   */
  private void awaitQuiet(Admin admin, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long lag = outboxRows() == 0 ? groupLag(admin) : -1;
      if (lag == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        System.out.println(
            "not quiet after " + timeout.toSeconds() + " s (outbox rows or consumer lag remain)");
        return;
      }
      ChildProcess.sleep(Duration.ofMillis(250));
    }
  }

  private long groupLag(Admin admin) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, Long> ends = endOffsets(admin);
    long lag = 0;
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      OffsetAndMetadata c = committed.get(end.getKey());
      lag += end.getValue() - (c == null ? 0 : c.offset());
    }
    return lag;
  }

  /** Records on the benchmark topic so far, re-sends included. */
  private long topicRecords(Admin admin) throws Exception {
    return endOffsets(admin).values().stream().mapToLong(Long::longValue).sum();
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
    Set<TopicPartition> partitions =
        admin
            .describeTopics(Set.of(OutboxWriter.TOPIC))
            .allTopicNames()
            .get()
            .get(OutboxWriter.TOPIC)
            .partitions()
            .stream()
            .map(p -> new TopicPartition(OutboxWriter.TOPIC, p.partition()))
            .collect(Collectors.toSet());
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest =
        admin
            .listOffsets(
                partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
            .all()
            .get();
    return latest.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  private static String postgresSettings(TestPostgres postgres) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                postgres.jdbcUrl("postgres"), postgres.username(), postgres.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select current_setting('server_version'), current_setting('fsync'),"
                    + " current_setting('synchronous_commit')")) {
      rs.next();
      return "PostgreSQL "
          + rs.getString(1)
          + ", fsync="
          + rs.getString(2)
          + ", synchronous_commit="
          + rs.getString(3);
    }
  }

  /**
   * @param events events per run (and records for the yardstick)
   * @param rate the offered rate of the paced run, events per second
   * @param faults run the fault scenario instead of the throughput and latency runs
   * @param relayBatchSize passed to the relay as {@code runnel.events.relay-batch-size}; 0 keeps
   *     the kit's default
   * @param consumerConcurrency passed to the sink as {@code runnel.events.consumer-concurrency}; 0
   *     keeps the kit's default
   * @param perEventHandler the sink writes one statement per event instead of one per poll
   * @param subjects distinct aggregate ids the events cycle over (the Kafka keys)
   * @param runs which of the normal mode's runs to do (all by default)
   * @param jfr record the relay and sink JVMs with Java Flight Recorder, to see where time goes
   * @param logDir where the child processes write their logs
   */
  record Options(
      int events,
      int rate,
      boolean faults,
      int relayBatchSize,
      int consumerConcurrency,
      boolean perEventHandler,
      int subjects,
      Set<String> runs,
      boolean jfr,
      Path logDir) {
    static final List<String> RUNS = List.of("yardstick", "relay", "consumer", "max", "paced");

    static Options parse(String[] args) {
      int events = 100_000;
      int rate = 5_000;
      boolean faults = false;
      int relayBatchSize = 0;
      int consumerConcurrency = 0;
      boolean perEventHandler = false;
      int subjects = 1_000;
      Set<String> runs = Set.copyOf(RUNS);
      boolean jfr = false;
      Path logDir = Path.of("bench/target/outbox-logs");
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--faults" -> faults = true;
          case "--events" -> events = Integer.parseInt(args[++i]);
          case "--rate" -> rate = Integer.parseInt(args[++i]);
          case "--relay-batch-size" -> relayBatchSize = Integer.parseInt(args[++i]);
          case "--consumer-concurrency" -> consumerConcurrency = Integer.parseInt(args[++i]);
          case "--per-event-handler" -> perEventHandler = true;
          case "--subjects" -> subjects = Integer.parseInt(args[++i]);
          case "--runs" -> runs = Set.of(args[++i].split(","));
          case "--jfr" -> jfr = true;
          case "--logs" -> logDir = Path.of(args[++i]);
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + args[i]
                      + "; known: --faults --events N --rate N --relay-batch-size N"
                      + " --consumer-concurrency N --per-event-handler --subjects N"
                      + " --runs "
                      + String.join(",", RUNS)
                      + " --jfr --logs DIR");
        }
      }
      if (events < 1000 || rate < 1 || subjects < 1) {
        throw new IllegalArgumentException("need --events >= 1000, --rate >= 1, --subjects >= 1");
      }
      if (!RUNS.containsAll(runs)) {
        throw new IllegalArgumentException("--runs takes a comma list of " + RUNS);
      }
      return new Options(
          events,
          rate,
          faults,
          relayBatchSize,
          consumerConcurrency,
          perEventHandler,
          subjects,
          runs,
          jfr,
          logDir);
    }
  }
}
