package dev.runnel.market.repository.adapter.out.index;

import com.sun.management.OperatingSystemMXBean;
import dev.runnel.market.catalog.domain.AppSummary;
import dev.runnel.market.catalog.domain.IndexEntry;
import dev.runnel.market.repository.application.IndexReader;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Times the first read of an index in this JVM, the way a freshly started service meets its first
 * sync: wall time, this thread's CPU and the whole process's CPU (JIT compiler and GC threads
 * included). Not a test; run it in a fresh JVM per reader, for example:
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) \
 *   dev.runnel.market.repository.adapter.out.index.IndexReadProbe snakeyaml|scanner|scan-only \
 *   ../../shared/fixtures/catalog-index/bitnami-history-index.yaml.gz [+sync]
 * </pre>
 */
public final class IndexReadProbe {
  private IndexReadProbe() {}

  public static void main(String[] args) throws Exception {
    String which = args[0];
    Path file = Path.of(args[1]);
    if (file.toString().endsWith(".gz")) {
      Path plain = Files.createTempFile("index", ".yaml");
      plain.toFile().deleteOnExit();
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        Files.copy(in, plain, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      file = plain;
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long processCpu0 = os.getProcessCpuTime();
    long threadCpu0 = threads.getCurrentThreadCpuTime();
    long wall0 = System.nanoTime();
    long entries = 0;
    long skipped = 0;
    if (which.equals("scan-only")) {
      try (HelmIndexScanner scanner = new HelmIndexScanner(Files.newInputStream(file))) {
        while (scanner.next() != HelmIndexScanner.Item.END) {
          entries++;
        }
      }
    } else {
      IndexReader reader =
          which.equals("snakeyaml") ? new SnakeYamlIndexReader() : new HelmIndexReader();
      // With "+sync", also what the sync does per entry besides storing it: the app summary and
      // the entry as JSON for the COPY.
      boolean sync = args.length > 2 && args[2].equals("+sync");
      java.util.Map<String, AppSummary> apps = new java.util.HashMap<>();
      JsonMapper json = new JsonMapper();
      long jsonBytes = 0;
      try (IndexReader.Batches batches = reader.open(file, 2000)) {
        while (batches.hasNext()) {
          List<IndexEntry> batch = batches.next();
          entries += batch.size();
          if (sync) {
            for (IndexEntry e : batch) {
              apps.computeIfAbsent(e.name(), k -> new AppSummary()).offer(e);
              jsonBytes += json.writeValueAsString(e.raw()).length();
            }
          }
        }
        skipped = batches.skipped();
      }
    }
    long wall = System.nanoTime() - wall0;
    long threadCpu = threads.getCurrentThreadCpuTime() - threadCpu0;
    long processCpu = os.getProcessCpuTime() - processCpu0;
    System.out.printf(
        "%s: %d entries, %d skipped; wall %d ms, reading thread CPU %d ms, process CPU %d ms%n",
        which, entries, skipped, wall / 1_000_000, threadCpu / 1_000_000, processCpu / 1_000_000);
  }
}
