package dev.runnel.bench.gateway;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one {@code wrk --latency} run printed: throughput, the latency distribution and any errors.
 *
 * @param requests requests completed in the run
 * @param requestsPerSecond wrk's {@code Requests/sec}
 * @param p50Millis median latency
 * @param p90Millis 90th percentile latency
 * @param p99Millis 99th percentile latency
 * @param non2xx responses that were neither 2xx nor 3xx
 * @param socketErrors connect, read, write and timeout errors added up
 */
public record WrkResult(
    long requests,
    double requestsPerSecond,
    double p50Millis,
    double p90Millis,
    double p99Millis,
    long non2xx,
    long socketErrors) {

  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ");
  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  /** Parses wrk's report; fails when the report lacks throughput or the latency distribution. */
  public static WrkResult parse(String output) {
    long[] socket = {0, 0, 0, 0};
    Matcher errors = SOCKET_ERRORS.matcher(output);
    if (errors.find()) {
      for (int i = 0; i < 4; i++) {
        socket[i] = Long.parseLong(errors.group(i + 1));
      }
    }
    Matcher non2xx = NON_2XX.matcher(output);
    return new WrkResult(
        Long.parseLong(find(REQUESTS, output, "request count")),
        Double.parseDouble(find(RATE, output, "Requests/sec")),
        percentile(output, "50"),
        percentile(output, "90"),
        percentile(output, "99"),
        non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0,
        socket[0] + socket[1] + socket[2] + socket[3]);
  }

  /** Errors of any kind: a run with errors measures failures, not the service. */
  public long errors() {
    return non2xx + socketErrors;
  }

  private static double percentile(String output, String p) {
    Pattern line =
        Pattern.compile("^\\s+" + p + "%\\s+([0-9.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE);
    Matcher m = line.matcher(output);
    if (!m.find()) {
      throw new IllegalArgumentException(
          "no " + p + "% line in the wrk output (was --latency given?):\n" + output);
    }
    double value = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> value / 1000;
      case "ms" -> value;
      case "s" -> value * 1000;
      case "m" -> value * 60_000;
      default -> throw new IllegalStateException("unit " + m.group(2));
    };
  }

  private static String find(Pattern pattern, String output, String what) {
    Matcher m = pattern.matcher(output);
    if (!m.find()) {
      throw new IllegalArgumentException("no " + what + " in the wrk output:\n" + output);
    }
    return m.group(1);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%,.0f req/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, %d errors",
        requestsPerSecond,
        p50Millis,
        p90Millis,
        p99Millis,
        errors());
  }
}
