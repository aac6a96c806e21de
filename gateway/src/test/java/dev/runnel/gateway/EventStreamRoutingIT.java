package dev.runnel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestTokens;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

/**
 * An event stream (an operation's progress, a followed log) stays open through the gateway for as
 * long as the service sends, past the route's time limit that still bounds ordinary requests: the
 * circuit breaker's time limit covers the call until the service's answer starts, not the writing
 * of its body. Kept as a guard, since an SSE stream cut after the route's seconds would break the
 * console's progress views.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"runnel.gateway.services.deploy.timeout=500ms"})
@AutoConfigureWebTestClient(timeout = "PT30S")
class EventStreamRoutingIT {
  private static final int EVENTS = 6;
  // Six events 250 ms apart: the whole answer takes 1.5 s, three times the route's time limit.
  private static final FakeService deploy = FakeService.streaming(EVENTS, Duration.ofMillis(250));

  @Autowired WebTestClient client;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    RunnelTestInfra.registerTokens(registry::add);
    registry.add("runnel.gateway.services.deploy.uri", deploy::uri);
  }

  @AfterAll
  static void stop() {
    deploy.close();
  }

  @Test
  void anEventStreamOutlivesTheRoutesTimeLimitAndArrivesWhole() {
    StepVerifier.create(
            client
                .get()
                .uri("/api/deploy/v1/operations/op-1/events")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .headers(h -> h.setBearerAuth(TestTokens.get().admin()))
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseBody())
        .expectNext("event 1", "event 2", "event 3", "event 4", "event 5", "event 6")
        .expectComplete()
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void anOrdinaryRequestToTheSameServiceIsStillBoundByTheTimeLimit() {
    client
        .get()
        .uri("/api/deploy/v1/operations/op-1")
        .accept(MediaType.APPLICATION_JSON)
        .headers(h -> h.setBearerAuth(TestTokens.get().admin()))
        .exchange()
        .expectStatus()
        .isEqualTo(503);
  }

  @Test
  void aStreamWithoutATokenIsRefusedAtTheGateway() {
    int before = deploy.received("/api/deploy/v1/operations/op-2/events").size();
    client
        .get()
        .uri("/api/deploy/v1/operations/op-2/events")
        .accept(MediaType.TEXT_EVENT_STREAM)
        .exchange()
        .expectStatus()
        .isUnauthorized();
    assertThat(deploy.received("/api/deploy/v1/operations/op-2/events"))
        .as("the refused stream never reached the service")
        .hasSize(before);
  }
}
