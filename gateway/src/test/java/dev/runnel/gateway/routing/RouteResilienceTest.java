package dev.runnel.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigurationProperties;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class RouteResilienceTest {
  private final RoutingProperties properties =
      new RoutingProperties(
          new RoutingProperties.Services(
              null, null, new RoutingProperties.Service(null, Duration.ofMillis(500)), null, null),
          Duration.ofSeconds(10),
          new RoutingProperties.CircuitBreaker(50, 4, 4, Duration.ofMinutes(1), 1));

  private final ReactiveResilience4JCircuitBreakerFactory factory = customizedFactory(properties);

  @Test
  void aRouteOfAServiceWithItsOwnTimeLimitGivesUpAtThatLimit() {
    StepVerifier.withVirtualTime(() -> factory.create(RouteIds.api("monitor")).run(never(), why()))
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(499))
        .thenAwait(Duration.ofMillis(1))
        .expectNext("fallback after TimeoutException")
        .verifyComplete();
  }

  @Test
  void otherRoutesWaitForTheDefaultTimeLimit() {
    StepVerifier.withVirtualTime(() -> factory.create(RouteIds.docs("market")).run(never(), why()))
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(9_999))
        .thenAwait(Duration.ofMillis(1))
        .expectNext("fallback after TimeoutException")
        .verifyComplete();
  }

  @Test
  void afterEnoughFailuresTheCircuitOpensAndTheServiceIsNoLongerCalled() {
    ReactiveCircuitBreaker breaker = factory.create(RouteIds.api("audit"));
    AtomicInteger calls = new AtomicInteger();
    Mono<String> failingCall =
        Mono.defer(
            () -> {
              calls.incrementAndGet();
              return Mono.error(new IOException("connection reset"));
            });

    for (int i = 0; i < 4; i++) {
      StepVerifier.create(breaker.run(failingCall, why()))
          .expectNext("fallback after IOException")
          .verifyComplete();
    }
    StepVerifier.create(breaker.run(failingCall, why()))
        .expectNext("fallback after " + CallNotPermittedException.class.getSimpleName())
        .verifyComplete();

    assertThat(calls).hasValue(4);
  }

  @Test
  void oneRoutesOpenCircuitLeavesTheOtherRoutesAlone() {
    ReactiveCircuitBreaker deploy = factory.create(RouteIds.api("deploy"));
    for (int i = 0; i < 4; i++) {
      StepVerifier.create(deploy.run(Mono.<String>error(new IOException("refused")), why()))
          .expectNext("fallback after IOException")
          .verifyComplete();
    }

    StepVerifier.create(factory.create(RouteIds.api("identity")).run(Mono.just("answered"), why()))
        .expectNext("answered")
        .verifyComplete();
  }

  /**
   * The factory as the auto-configuration builds it, without a bulkhead (the gateway's setting).
   */
  private static ReactiveResilience4JCircuitBreakerFactory customizedFactory(
      RoutingProperties properties) {
    ReactiveResilience4JCircuitBreakerFactory factory =
        new ReactiveResilience4JCircuitBreakerFactory(
            CircuitBreakerRegistry.ofDefaults(),
            TimeLimiterRegistry.ofDefaults(),
            null,
            new Resilience4JConfigurationProperties());
    new RouteResilience(properties).customize(factory);
    return factory;
  }

  private static Mono<String> never() {
    return Mono.never();
  }

  private static Function<Throwable, Mono<String>> why() {
    return t -> Mono.just("fallback after " + t.getClass().getSimpleName());
  }
}
