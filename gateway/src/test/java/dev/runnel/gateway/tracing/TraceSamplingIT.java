package dev.runnel.gateway.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.gateway.FakeService;
import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestTokens;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Which requests the gateway traces, as the service behind it sees in the {@code traceparent} it
 * receives: the gateway's own default (one in ten, where the kit would trace everything), an
 * operator's {@code management.tracing.sampling.probability}, and a caller's own decision.
 */
class TraceSamplingIT {
  private static final FakeService market = FakeService.echoing();
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  @AfterAll
  static void stopService() {
    market.close();
  }

  static void services(DynamicPropertyRegistry registry) {
    RunnelTestInfra.registerTokens(registry::add);
    registry.add("runnel.gateway.services.market.uri", market::uri);
  }

  static String get(WebTestClient client, String path, String traceparent) {
    WebTestClient.RequestHeadersSpec<?> request =
        client
            .get()
            .uri(path)
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.get().user("ada").mint());
    if (traceparent != null) {
      request = request.header("traceparent", traceparent);
    }
    request.exchange().expectStatus().isOk();
    java.util.List<FakeService.Received> received = market.received(path);
    return received.get(received.size() - 1).traceparent();
  }

  /** The sampled bit of a W3C traceparent's flags (other bits, such as random-trace-id, vary). */
  static boolean sampled(String traceparent) {
    assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    return (Integer.parseInt(traceparent.substring(traceparent.length() - 2), 16) & 1) == 1;
  }

  @Nested
  @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
  @AutoConfigureWebTestClient
  class WithTheGatewaysDefaults {
    @Autowired WebTestClient client;
    @Autowired Sampler sampler;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
      services(registry);
    }

    @Test
    void oneTraceInTenIsSampledUnlessTheCallerDecided() {
      assertThat(sampler.getDescription()).contains("TraceIdRatioBased{0.100000}");
    }

    @Test
    void aCallersSampledTraceIsFollowedToTheService() {
      String received =
          get(client, "/api/market/v1/defaults/sampled", "00-" + TRACE_ID + "-00f067aa0ba902b7-01");

      assertThat(received).startsWith("00-" + TRACE_ID + "-");
      assertThat(sampled(received)).isTrue();
    }
  }

  @Nested
  @SpringBootTest(
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = "management.tracing.sampling.probability=1.0")
  @AutoConfigureWebTestClient
  class WithEveryRequestSampled {
    @Autowired WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
      services(registry);
    }

    @Test
    void everyRequestReachesTheServiceAsASampledTrace() {
      for (int i = 0; i < 5; i++) {
        assertThat(sampled(get(client, "/api/market/v1/all/" + i, null))).isTrue();
      }
    }

    @Test
    void aCallersDecisionNotToSampleIsStillFollowed() {
      String received =
          get(client, "/api/market/v1/all/unsampled", "00-" + TRACE_ID + "-00f067aa0ba902b7-00");

      assertThat(received).startsWith("00-" + TRACE_ID + "-");
      assertThat(sampled(received)).isFalse();
    }
  }
}
