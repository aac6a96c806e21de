package dev.runnel.gateway.routing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the services are and how long the gateway waits for them.
 *
 * @param services the base URI (and optionally the time limit) of each service the gateway routes
 *     {@code /api/<service>/**} to
 * @param timeout how long a route waits for a service's whole response unless the service sets its
 *     own; past it the caller gets a 503 problem
 * @param circuitBreaker when a route stops calling a failing service, and for how long
 */
@ConfigurationProperties("runnel.gateway")
@Validated
public record RoutingProperties(
    @Valid @NotNull @DefaultValue Services services,
    @NotNull @DefaultValue("10s") Duration timeout,
    @Valid @NotNull @DefaultValue CircuitBreaker circuitBreaker) {

  public RoutingProperties {
    requirePositive(timeout, "runnel.gateway.timeout");
  }

  /** The time limit of a route: its service's own when set, else the gateway's default. */
  public Duration timeoutFor(String routeId) {
    return RouteIds.serviceOf(routeId)
        .flatMap(services::named)
        .map(Service::timeout)
        .orElse(timeout);
  }

  /**
   * The services behind the gateway. A service left out of the configuration gets its local default
   * ({@code http://127.0.0.1:808x}), so that the platform runs on one machine as is.
   *
   * @param market catalog, repositories, charts; default port 8081
   * @param deploy clusters, instances, revisions; default port 8082
   * @param monitor metrics, alerts, notification channels; default port 8083
   * @param audit audit trail, WAF events, event feed; default port 8084
   * @param identity teams, members, roles; default port 8085
   */
  public record Services(
      @Valid Service market,
      @Valid Service deploy,
      @Valid Service monitor,
      @Valid Service audit,
      @Valid Service identity) {

    public Services {
      market = Service.orLocal(market, 8081);
      deploy = Service.orLocal(deploy, 8082);
      monitor = Service.orLocal(monitor, 8083);
      audit = Service.orLocal(audit, 8084);
      identity = Service.orLocal(identity, 8085);
    }

    /** Every service by its short name, in a stable order. */
    public Map<String, Service> byName() {
      Map<String, Service> all = new LinkedHashMap<>();
      all.put("market", market);
      all.put("deploy", deploy);
      all.put("monitor", monitor);
      all.put("audit", audit);
      all.put("identity", identity);
      return all;
    }

    Optional<Service> named(String name) {
      return Optional.ofNullable(byName().get(name));
    }
  }

  /**
   * One service.
   *
   * @param uri the service's base URI, scheme and authority only ({@code
   *     http://market-service:8080}); the request path is passed on unchanged. Bound as null when
   *     only the timeout is configured; {@link Services} then fills in the local default
   * @param timeout this service's time limit, when it needs a different one from {@code
   *     runnel.gateway.timeout}
   */
  public record Service(@Nullable URI uri, @Nullable Duration timeout) {
    public Service {
      if (uri != null) {
        String scheme = uri.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
          throw new IllegalArgumentException(
              "a service URI needs http or https and a host, not '" + uri + "'");
        }
      }
      if (timeout != null) {
        requirePositive(timeout, "a service's timeout");
      }
    }

    static Service orLocal(@Nullable Service configured, int port) {
      URI local = URI.create("http://127.0.0.1:" + port);
      if (configured == null) {
        return new Service(local, null);
      }
      // Overriding only the timeout must not lose the default address.
      return configured.uri() == null ? new Service(local, configured.timeout()) : configured;
    }
  }

  /**
   * Resilience4j circuit breaker settings shared by every route; each route keeps its own state.
   *
   * @param failureRateThreshold percentage of failed calls in the window that opens the circuit
   * @param slidingWindowSize how many recent calls the failure rate is computed over
   * @param minimumNumberOfCalls calls a route must have seen before its circuit can open
   * @param waitInOpenState how long an open circuit answers 503 without calling the service before
   *     it lets trial calls through
   * @param permittedCallsInHalfOpenState trial calls that decide whether the circuit closes again
   */
  public record CircuitBreaker(
      @DefaultValue("50") @Min(1) @Max(100) int failureRateThreshold,
      @DefaultValue("20") @Min(1) int slidingWindowSize,
      @DefaultValue("10") @Min(1) int minimumNumberOfCalls,
      @NotNull @DefaultValue("10s") Duration waitInOpenState,
      @DefaultValue("3") @Min(1) int permittedCallsInHalfOpenState) {

    public CircuitBreaker {
      requirePositive(waitInOpenState, "runnel.gateway.circuit-breaker.wait-in-open-state");
    }
  }

  private static void requirePositive(@Nullable Duration duration, String what) {
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException(what + " must be longer than zero, not " + duration);
    }
  }
}
