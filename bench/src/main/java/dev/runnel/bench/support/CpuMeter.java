package dev.runnel.bench.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * CPU time of the benchmark's own processes by component (driver, PostgreSQL, broker, services),
 * and of the whole machine, between two snapshots. On a shared machine this tells where a run's
 * time went and how much of the machine other work took meanwhile.
 */
public final class CpuMeter {
  private final Function<ProcessHandle, Optional<String>> classifier;

  /**
   * @param classifier names the component a descendant process of this JVM belongs to, or empty to
   *     ignore it; this JVM itself counts as {@code driver}
   */
  public CpuMeter(Function<ProcessHandle, Optional<String>> classifier) {
    this.classifier = classifier;
  }

  /** CPU seconds by component, plus {@code machine busy} and {@code machine total} seconds. */
  public record Snapshot(long nanos, Map<String, Double> seconds) {

    /** What happened between {@code earlier} and this snapshot. */
    public Usage since(Snapshot earlier) {
      Map<String, Double> delta = new LinkedHashMap<>();
      seconds.forEach(
          (k, v) -> delta.put(k, Math.max(0, v - earlier.seconds.getOrDefault(k, 0.0))));
      return new Usage(Duration.ofNanos(nanos - earlier.nanos), delta);
    }
  }

  /** CPU seconds by component over a wall-clock interval. */
  public record Usage(Duration wall, Map<String, Double> seconds) {
    public double of(String component) {
      return seconds.getOrDefault(component, 0.0);
    }

    /** For example {@code postgres 3.1 s, sink 2.0 s, ... ; machine 85 % busy, ours 60 %}. */
    public String describe() {
      StringBuilder out = new StringBuilder();
      double ours = 0;
      for (Map.Entry<String, Double> e : seconds.entrySet()) {
        if (e.getKey().startsWith("machine")) {
          continue;
        }
        ours += e.getValue();
        if (out.length() > 0) {
          out.append(", ");
        }
        out.append(String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()));
      }
      double capacity = of("machine total");
      if (capacity > 0) {
        out.append(
            String.format(
                Locale.ROOT,
                "; machine %.0f %% busy, this benchmark %.0f %%",
                100 * of("machine busy") / capacity,
                100 * ours / capacity));
      }
      return out.toString();
    }
  }

  public Snapshot snapshot() {
    Map<String, Double> seconds = new LinkedHashMap<>();
    seconds.put("driver", cpuSeconds(ProcessHandle.current()));
    // All processes, not only descendants: some servers detach from the driver (PostgreSQL).
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .forEach(
            p ->
                classifier
                    .apply(p)
                    .ifPresent(name -> seconds.merge(name, cpuSeconds(p), Double::sum)));
    machine(seconds);
    return new Snapshot(System.nanoTime(), seconds);
  }

  /**
   * The whole command line. {@code ProcessHandle.Info.commandLine()} stops at 4,096 characters,
   * which a JVM's classpath alone exceeds, hiding the main class; /proc has all of it.
   */
  public static String commandLine(ProcessHandle p) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
      return new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').trim();
    } catch (IOException | RuntimeException e) {
      // Gone already, or not Linux: what the JDK knows is the best there is.
      return p.info().commandLine().orElse("");
    }
  }

  /** Whether this JVM started the process, directly or through its children. */
  public static boolean isOurs(ProcessHandle p) {
    long self = ProcessHandle.current().pid();
    Optional<ProcessHandle> up = p.parent();
    while (up.isPresent()) {
      if (up.get().pid() == self) {
        return true;
      }
      up = up.get().parent();
    }
    return false;
  }

  private static double cpuSeconds(ProcessHandle p) {
    return p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  /** Busy and total CPU seconds of all cores since boot, from the first line of /proc/stat. */
  private static void machine(Map<String, Double> seconds) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
      String[] f = lines.get(0).trim().split("\\s+");
      // user nice system idle iowait irq softirq steal; USER_HZ is 100 on Linux.
      double total = 0;
      for (int i = 1; i <= 8 && i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      double idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      seconds.put("machine busy", (total - idle) / 100.0);
      seconds.put("machine total", total / 100.0);
    } catch (IOException | RuntimeException e) {
      // Not Linux: the per-process figures stand without the machine's.
      seconds.remove("machine busy");
    }
  }
}
