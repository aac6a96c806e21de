package dev.runnel.gateway.routing;

import java.util.List;
import java.util.Map;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import reactor.core.publisher.Flux;

/**
 * One route per service, {@code /api/<service>/**} to the service's URI with the path unchanged
 * (services serve their API under the same path). Built from {@link RoutingProperties} rather than
 * listed in YAML so that a service's address is configured once; as definitions, they still get the
 * {@code default-filters} (the circuit breaker) from {@code application.yaml}.
 *
 * <p>The path pattern captures the service name as {@code {service}} so that the shared circuit
 * breaker filter can forward to {@code /fallback/{service}}.
 */
public final class ServiceRoutes implements RouteDefinitionLocator {
  /** After the documentation routes, whose paths also start with {@code /api/<service>/}. */
  static final int ORDER = 10;

  private final RoutingProperties properties;

  public ServiceRoutes(RoutingProperties properties) {
    this.properties = properties;
  }

  @Override
  public Flux<RouteDefinition> getRouteDefinitions() {
    return Flux.fromIterable(properties.services().byName().entrySet())
        .map(ServiceRoutes::route)
        .concatWithValues(charts(properties.services().market().uri()));
  }

  /**
   * {@code /charts/**} to market, path unchanged: the platform's Helm chart repository ({@code
   * index.yaml} and the {@code .tgz} packages), which Helm clients address without the {@code /api}
   * prefix. The path names no service, so the route names it for the fallback.
   */
  private static RouteDefinition charts(java.net.URI market) {
    RouteDefinition route = new RouteDefinition();
    route.setId(RouteIds.charts("market"));
    route.setUri(market);
    route.setOrder(ORDER);
    route.setPredicates(List.of(new PredicateDefinition("Path=/charts/**")));
    route.setFilters(
        List.of(
            new org.springframework.cloud.gateway.filter.FilterDefinition("ServiceName=market")));
    return route;
  }

  private static RouteDefinition route(Map.Entry<String, RoutingProperties.Service> service) {
    RouteDefinition route = new RouteDefinition();
    route.setId(RouteIds.api(service.getKey()));
    route.setUri(service.getValue().uri());
    route.setOrder(ORDER);
    route.setPredicates(
        List.of(new PredicateDefinition("Path=/api/" + servicePattern(service.getKey()) + "/**")));
    return route;
  }

  /**
   * A path segment that matches exactly this service's name and binds it to the {@code service}
   * variable.
   */
  public static String servicePattern(String service) {
    return "{service:" + service + "}";
  }
}
