package dev.runnel.bench.catalog;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.SearchResult;
import dev.runnel.bench.support.ParentWatch;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Helm's own client (helm-java: Helm's Go code through JNI) on the same index: {@code repo add}
 * (download and load the index), then {@code search repo} a few times. Runs in its own JVM so that
 * its memory (Go's heap is outside the Java heap) is measured alone; the driver points Helm's cache
 * and config at a private directory through the environment. Prints one result line.
 */
public final class HelmYardstick {
  private HelmYardstick() {}

  public static void main(String[] args) throws IOException {
    ParentWatch.install();
    URI url = URI.create(args[0]);
    Path work = Path.of(args[1]);
    int searches = Integer.parseInt(args[2]);
    Path config = work.resolve("repositories.yaml");
    Files.deleteIfExists(config);

    // Helm's Go code runs inside this process (JNI): the process's CPU time covers it.
    long cpu0 = cpuNanos();
    long t0 = System.nanoTime();
    Helm.repo().add().withRepositoryConfig(config).withName("bench").withUrl(url).call();
    double addMs = (System.nanoTime() - t0) / 1e6;
    double addCpuMs = (cpuNanos() - cpu0) / 1e6;

    double[] searchMs = new double[searches];
    int hits = 0;
    for (int i = 0; i < searches; i++) {
      long s = System.nanoTime();
      List<SearchResult> results =
          Helm.search().repo().withRepositoryConfig(config).withKeyword("nginx").call();
      searchMs[i] = (System.nanoTime() - s) / 1e6;
      hits = results.size();
    }
    StringBuilder line = new StringBuilder("HELM-YARDSTICK");
    line.append(String.format(Locale.ROOT, " add_ms=%.0f", addMs));
    line.append(String.format(Locale.ROOT, " add_cpu_ms=%.0f", addCpuMs));
    for (double ms : searchMs) {
      line.append(String.format(Locale.ROOT, " search_ms=%.0f", ms));
    }
    line.append(" hits=").append(hits);
    line.append(" vmhwm_kb=").append(status("VmHWM"));
    System.out.println(line);
    System.exit(0);
  }

  private static long cpuNanos() {
    return ProcessHandle.current()
        .info()
        .totalCpuDuration()
        .map(java.time.Duration::toNanos)
        .orElse(0L);
  }

  /** A field of /proc/self/status in kB: the peak resident set of this JVM and Helm's Go heap. */
  static long status(String field) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith(field + ":")) {
        return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
