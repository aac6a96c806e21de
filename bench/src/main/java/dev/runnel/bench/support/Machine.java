package dev.runnel.bench.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the figures were measured on, printed with them so that a reader can compare runs. */
public final class Machine {
  private Machine() {}

  public static String describe() {
    return String.format(
        Locale.ROOT,
        "%d cores (%s), %s memory, JDK %s (%s)",
        cores(),
        cpuModel(),
        memory(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"));
  }

  /**
   * Cores of the machine, not of this process: a driver pinned with taskset sees one through {@code
   * availableProcessors()}.
   */
  private static long cores() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("processor"))
          .count();
    } catch (IOException e) {
      return Runtime.getRuntime().availableProcessors();
    }
  }

  private static String cpuModel() {
    return procLine("/proc/cpuinfo", "model name").orElse("unknown CPU");
  }

  private static String memory() {
    return procLine("/proc/meminfo", "MemTotal")
        .map(
            kb -> {
              long k = Long.parseLong(kb.replaceAll("[^0-9]", ""));
              return String.format(Locale.ROOT, "%.1f GiB", k / 1024.0 / 1024.0);
            })
        .orElse("unknown");
  }

  private static java.util.Optional<String> procLine(String file, String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      return lines.stream()
          .filter(l -> l.startsWith(key))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst();
    } catch (IOException e) {
      // Not Linux, or /proc hidden: the figures stand without the label.
      return java.util.Optional.empty();
    }
  }
}
