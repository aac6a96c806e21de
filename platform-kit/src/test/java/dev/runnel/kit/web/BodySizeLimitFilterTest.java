package dev.runnel.kit.web;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class BodySizeLimitFilterTest {
  private final BodySizeLimitFilter filter =
      new BodySizeLimitFilter(1024, List.of(new BodyLimitOverride("/api/x/v1/uploads", 10_000)));

  private Mono<Void> post(String path, long length) {
    MockServerWebExchange exchange =
        MockServerWebExchange.from(
            MockServerHttpRequest.post(path).contentLength(length).body("ignored"));
    return filter.filter(exchange, e -> Mono.empty());
  }

  private static boolean tooLarge(Throwable e) {
    return e instanceof ServerWebInputException && e.getCause() instanceof DataBufferLimitException;
  }

  @Test
  void anOverriddenPathAcceptsUpToItsOwnLimit() {
    StepVerifier.create(post("/api/x/v1/uploads", 9_999)).verifyComplete();
    StepVerifier.create(post("/api/x/v1/uploads", 10_001))
        .expectErrorMatches(BodySizeLimitFilterTest::tooLarge)
        .verify();
  }

  @Test
  void everyOtherPathKeepsTheDefaultLimit() {
    StepVerifier.create(post("/api/x/v1/things", 1024)).verifyComplete();
    StepVerifier.create(post("/api/x/v1/things", 1025))
        .expectErrorMatches(BodySizeLimitFilterTest::tooLarge)
        .verify();
    StepVerifier.create(post("/api/x/v1/uploads/other", 2_000))
        .expectErrorMatches(BodySizeLimitFilterTest::tooLarge)
        .verify();
  }
}
