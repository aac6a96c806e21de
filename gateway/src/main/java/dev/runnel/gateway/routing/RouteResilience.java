package dev.runnel.gateway.routing;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.core.registry.EntryAddedEvent;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;

/**
 * The one place route resilience is configured: every route's breaker gets the shared breaker
 * settings and its service's time limit. Breakers are created per route id on first use, so this
 * also covers routes added later.
 */
public final class RouteResilience
    implements Customizer<ReactiveResilience4JCircuitBreakerFactory> {
  private static final Logger log = LoggerFactory.getLogger(RouteResilience.class);

  private final RoutingProperties properties;

  public RouteResilience(RoutingProperties properties) {
    this.properties = properties;
  }

  @Override
  public void customize(ReactiveResilience4JCircuitBreakerFactory factory) {
    CircuitBreakerConfig breaker = breakerConfig(properties.circuitBreaker());
    factory.configureDefault(
        routeId ->
            new Resilience4JConfigBuilder(routeId)
                .circuitBreakerConfig(breaker)
                .timeLimiterConfig(
                    TimeLimiterConfig.custom()
                        .timeoutDuration(properties.timeoutFor(routeId))
                        .build())
                .build());
    // An opening circuit is the moment an operator needs to see; single failures are logged by
    // the fallback. Every breaker of the registry is covered, the routes' and the gateway's own.
    factory
        .getCircuitBreakerRegistry()
        .getEventPublisher()
        .onEntryAdded(RouteResilience::logTransitions);
  }

  /**
   * The shared breaker settings as a resilience4j configuration; also the base of the breaker on
   * the gateway's own Keycloak calls for chart credentials ({@code charts}).
   */
  public static CircuitBreakerConfig breakerConfig(RoutingProperties.CircuitBreaker settings) {
    return CircuitBreakerConfig.custom()
        .slidingWindowType(SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(settings.slidingWindowSize())
        .minimumNumberOfCalls(settings.minimumNumberOfCalls())
        .failureRateThreshold(settings.failureRateThreshold())
        .waitDurationInOpenState(settings.waitInOpenState())
        .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
        .build();
  }

  private static void logTransitions(
      EntryAddedEvent<io.github.resilience4j.circuitbreaker.CircuitBreaker> added) {
    added
        .getAddedEntry()
        .getEventPublisher()
        .onStateTransition(
            event ->
                log.warn(
                    "Circuit breaker '{}' is now {} (was {})",
                    event.getCircuitBreakerName(),
                    event.getStateTransition().getToState(),
                    event.getStateTransition().getFromState()));
  }
}
