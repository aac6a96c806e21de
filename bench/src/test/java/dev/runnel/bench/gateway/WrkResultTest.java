package dev.runnel.bench.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WrkResultTest {
  private static final String CLEAN =
      """
      Running 15s test @ http://127.0.0.1:41234/api/market/v1/categories
        1 threads and 32 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency     5.21ms    2.10ms  48.33ms   90.12%
          Req/Sec     6.19k   512.40     7.01k    71.33%
        Latency Distribution
           50%  812.00us
           75%    5.60ms
           90%    7.01ms
           99%    1.20s
        92871 requests in 15.01s, 40.12MB read
      Requests/sec:   6187.41
      Transfer/sec:      2.67MB
      """;

  @Test
  void readsThroughputAndTheLatencyDistributionInMilliseconds() {
    WrkResult r = WrkResult.parse(CLEAN);

    assertThat(r.requests()).isEqualTo(92871);
    assertThat(r.requestsPerSecond()).isEqualTo(6187.41);
    assertThat(r.p50Millis()).isEqualTo(0.812);
    assertThat(r.p90Millis()).isEqualTo(7.01);
    assertThat(r.p99Millis()).isEqualTo(1200);
    assertThat(r.errors()).isZero();
  }

  @Test
  void countsFailedResponsesAndSocketErrors() {
    String failing =
        CLEAN.replace(
            "Requests/sec:",
            "  Socket errors: connect 0, read 2, write 1, timeout 4\n"
                + "  Non-2xx or 3xx responses: 17\nRequests/sec:");

    WrkResult r = WrkResult.parse(failing);

    assertThat(r.non2xx()).isEqualTo(17);
    assertThat(r.socketErrors()).isEqualTo(7);
    assertThat(r.errors()).isEqualTo(24);
  }

  @Test
  void outputWithoutTheLatencyDistributionIsRejected() {
    String withoutLatency = CLEAN.replaceAll("(?m)^\\s+\\d+%.*\\n", "");

    assertThatThrownBy(() -> WrkResult.parse(withoutLatency))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--latency");
  }
}
