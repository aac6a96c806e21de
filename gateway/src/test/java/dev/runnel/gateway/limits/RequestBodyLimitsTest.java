package dev.runnel.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class RequestBodyLimitsTest {
  private final RequestBodyLimits limits =
      new RequestBodyLimits(
          new BodyLimitsProperties(DataSize.ofKilobytes(256), DataSize.ofMegabytes(10)));

  @Test
  void onlyAChartUploadGetsTheLargerLimit() {
    assertThat(limits.limitFor(HttpMethod.POST, "/api/market/v1/charts")).isEqualTo(10 << 20);
    assertThat(limits.limitFor(HttpMethod.POST, "/api/market/v1/charts/")).isEqualTo(10 << 20);
    assertThat(limits.limitFor(HttpMethod.PUT, "/api/market/v1/charts")).isEqualTo(256 << 10);
    assertThat(limits.limitFor(HttpMethod.POST, "/api/market/v1/charts/x/versions"))
        .isEqualTo(256 << 10);
    assertThat(limits.limitFor(HttpMethod.POST, "/api/deploy/v1/instances")).isEqualTo(256 << 10);
  }

  @Test
  void aDeclaredBodyOverTheLimitIsA413ProblemAndIsNotPassedOn() {
    MockServerWebExchange exchange =
        MockServerWebExchange.from(
            MockServerHttpRequest.post("/api/deploy/v1/instances").contentLength(300 * 1024));

    StepVerifier.create(limits.filter(exchange, e -> Mono.error(new AssertionError("passed on"))))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(ErrorResponseException.class);
              ErrorResponseException problem = (ErrorResponseException) e;
              assertThat(problem.getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
              assertThat(problem.getBody().getDetail())
                  .isEqualTo(
                      "The request body has 307200 bytes; this endpoint accepts at most 262144"
                          + " bytes");
            })
        .verify();
  }

  @Test
  void aBodyWithinTheLimitIsPassedOn() {
    MockServerWebExchange exchange =
        MockServerWebExchange.from(
            MockServerHttpRequest.post("/api/market/v1/charts").contentLength(5 << 20));

    StepVerifier.create(limits.filter(exchange, e -> Mono.empty())).verifyComplete();
  }
}
