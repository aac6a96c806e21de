package dev.runnel.bench.outbox;

import dev.runnel.bench.stats.LatencySummary;
import dev.runnel.bench.support.CpuMeter;
import dev.runnel.bench.support.Machine;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Collects the figures of one run and prints them as a table with the targets. */
final class Report {
  private static final double TARGET_RATE = 5_000;
  private static final double TARGET_P99_MS = 500;

  private final OutboxBenchmark.Options options;
  private final String postgres;
  private final List<String> relayProperties;
  private final List<String> sinkProperties;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> faults = new ArrayList<>();
  private final List<String> cpu = new ArrayList<>();
  private double yardstick;
  private double roundTripMicros;
  private double writerRate;

  Report(
      OutboxBenchmark.Options options,
      String postgres,
      List<String> relayProperties,
      List<String> sinkProperties) {
    this.options = options;
    this.postgres = postgres;
    this.relayProperties = List.copyOf(relayProperties);
    this.sinkProperties = List.copyOf(sinkProperties);
  }

  private record Row(
      String name,
      double rate,
      LatencySummary lag,
      long lost,
      long duplicates,
      long orderViolations,
      long topicRecords) {}

  void yardstick(double rate) {
    yardstick = rate;
    rows.add(new Row("yardstick: plain producer -> consumer", rate, null, -1, -1, -1, -1));
  }

  void roundTrip(double micros) {
    roundTripMicros = micros;
  }

  void relayOnly(double rate, double writerRate) {
    this.writerRate = writerRate;
    rows.add(new Row("relay alone: outbox -> Kafka", rate, null, -1, -1, -1, -1));
  }

  void consumerOnly(SinkTable.Result result) {
    rows.add(
        new Row(
            "consumer alone: Kafka -> inbox + handler",
            result.handlingRate(),
            null,
            options.events() - result.distinct(),
            result.duplicates(),
            result.orderViolations(),
            -1));
  }

  void endToEnd(String name, SinkTable.Result result, long topicRecords) {
    rows.add(
        new Row(
            name,
            result.endToEndRate(),
            result.lag(),
            options.events() - result.distinct(),
            result.duplicates(),
            result.orderViolations(),
            topicRecords));
  }

  void cpu(String run, CpuMeter.Usage usage) {
    cpu.add(
        String.format(
            Locale.ROOT,
            "  %s, %.0f s: %s",
            run,
            usage.wall().toMillis() / 1000.0,
            usage.describe()));
  }

  synchronized void fault(double atSeconds, String what) {
    String line = String.format(Locale.ROOT, "%7.1f s  %s", atSeconds, what);
    faults.add(line);
    System.out.println("  " + line);
  }

  synchronized void print(Duration took) {
    StringBuilder out = new StringBuilder();
    out.append('\n').append("== Runnel outbox benchmark, ").append(LocalDate.now()).append(" ==\n");
    out.append("machine:  ").append(Machine.describe()).append('\n');
    out.append("database: ").append(postgres).append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "workload: %,d events per run, %,d aggregates, topic %s (6 partitions), 1 broker\n"
                + "settings: relay %s; sink %s\n",
            options.events(),
            options.subjects(),
            OutboxWriter.TOPIC,
            settings(relayProperties),
            settings(sinkProperties)));
    if (writerRate > 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "writer:   %,.0f events/s into the outbox (500-row transactions, one connection)\n",
              writerRate));
    }
    if (roundTripMicros > 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "yardstick 2: one PostgreSQL statement round trip (JDBC, sequential inserts) %.0f us;"
                  + " two per event (inbox + handler) cap one consumer at ~%,.0f events/s\n",
              roundTripMicros,
              1e6 / (2 * roundTripMicros)));
    }
    out.append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "%-46s %10s %6s %9s %9s %9s %9s %6s %5s %6s %8s\n",
            "run",
            "events/s",
            "ratio",
            "lag p50",
            "p95",
            "p99",
            "max",
            "lost",
            "dups",
            "order",
            "records"));
    for (Row r : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-46s %10s %6s %9s %9s %9s %9s %6s %5s %6s %8s\n",
              r.name(),
              String.format(Locale.ROOT, "%,.0f", r.rate()),
              yardstick > 0 ? String.format(Locale.ROOT, "%.2f", r.rate() / yardstick) : "-",
              r.lag() == null ? "-" : millis(r.lag().p50()),
              r.lag() == null ? "-" : millis(r.lag().p95()),
              r.lag() == null ? "-" : millis(r.lag().p99()),
              r.lag() == null ? "-" : millis(r.lag().max()),
              count(r.lost()),
              count(r.duplicates()),
              count(r.orderViolations()),
              count(r.topicRecords())));
    }
    out.append(
        "\nratio = events/s over the yardstick's records/s in this run; lag = occurred_at to the"
            + " sink's clock_timestamp() at handling, ms;\nlost = written but never handled;"
            + " dups = handled more than once (the inbox should make it 0); order = events handled"
            + " after a later\nevent of the same aggregate; records = records the relay put on the"
            + " topic (above the event count: re-sent after a failure).\n");
    if (!cpu.isEmpty()) {
      out.append(
          "\nCPU seconds by process during each run (the machine has cores x wall-time seconds):\n");
      cpu.forEach(c -> out.append(c).append('\n'));
    }
    if (!faults.isEmpty()) {
      out.append("\nfaults and milestones (seconds from the first write of the measured run):\n");
      faults.forEach(f -> out.append("  ").append(f).append('\n'));
    }
    out.append('\n').append(targets());
    out.append(String.format(Locale.ROOT, "\nwall time %.0f s\n", took.toMillis() / 1000.0));
    System.out.print(out);
  }

  private String targets() {
    StringBuilder t = new StringBuilder("targets:\n");
    for (Row r : rows) {
      if (r.lag() == null) {
        continue;
      }
      if (r.name().contains("as fast as possible")) {
        t.append(verdict(r.rate() >= TARGET_RATE, "end to end >= 5,000 events/s", r.rate(), "/s"));
      } else if (r.name().contains("faults")) {
        t.append(
            verdict(
                r.lost() == 0 && r.duplicates() == 0,
                "with faults: 0 lost, 0 duplicates processed",
                r.lost() + r.duplicates(),
                " lost + duplicated"));
      } else {
        t.append(
            verdict(r.lag().p99() <= TARGET_P99_MS, "lag p99 <= 500 ms", r.lag().p99(), " ms"));
      }
    }
    return t.toString();
  }

  private static String verdict(boolean met, String target, double value, String unit) {
    return String.format(
        Locale.ROOT, "  %-4s %s (measured %,.1f%s)\n", met ? "MET" : "MISS", target, value, unit);
  }

  private static String settings(List<String> properties) {
    return properties.isEmpty() ? "kit defaults" : String.join(" ", properties);
  }

  private static String millis(double ms) {
    return String.format(Locale.ROOT, "%.1f", ms);
  }

  private static String count(long n) {
    return n < 0 ? "-" : String.format(Locale.ROOT, "%,d", n);
  }
}
