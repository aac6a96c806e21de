package dev.runnel.sandbox.metrics;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * Synthetic resource usage. A container uses a share of what it requests (or a small default when
 * it requests nothing) that drifts slowly with time and differs per container, so graphs move and
 * no two pods look identical, while the numbers stay within what the scheduler granted.
 */
final class Usage {

  static final long DEFAULT_CPU_MILLIS = 10;
  static final long DEFAULT_MEMORY_BYTES = 32L * 1024 * 1024;

  private Usage() {}

  /** Millicores a container uses now. */
  static long cpuMillis(JsonNode container, String seed, Instant now) {
    long requested = requestMillis(container);
    return Math.max(1, Math.round(requested * share(seed + "/cpu", now)));
  }

  static long memoryBytes(JsonNode container, String seed, Instant now) {
    long requested = requestBytes(container);
    return Math.max(1024 * 1024, Math.round(requested * share(seed + "/memory", now)));
  }

  static long requestMillis(JsonNode container) {
    JsonNode cpu = container.path("resources").path("requests").path("cpu");
    if (cpu.isMissingNode() || cpu.isNull()) {
      return DEFAULT_CPU_MILLIS;
    }
    return Quantity.getAmountInBytes(new Quantity(cpu.asString()))
        .multiply(BigDecimal.valueOf(1000))
        .longValue();
  }

  static long requestBytes(JsonNode container) {
    JsonNode memory = container.path("resources").path("requests").path("memory");
    if (memory.isMissingNode() || memory.isNull()) {
      return DEFAULT_MEMORY_BYTES;
    }
    return Quantity.getAmountInBytes(new Quantity(memory.asString())).longValue();
  }

  /** Between 30% and 80% of the request, a slow sine wave with a per-container phase. */
  private static double share(String seed, Instant now) {
    double phase = (seed.hashCode() & 0xffff) / 65536.0 * 2 * Math.PI;
    double minutes = now.getEpochSecond() / 60.0;
    return 0.55 + 0.25 * Math.sin(minutes / 5.0 + phase);
  }
}
