package dev.runnel.gateway.docs;

import dev.runnel.gateway.routing.RouteIds;
import dev.runnel.gateway.routing.RoutingProperties;
import dev.runnel.gateway.routing.ServiceRoutes;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import reactor.core.publisher.Flux;

/**
 * {@code /api/<service>/v3/api-docs} to the service's own {@code /v3/api-docs}, so that Swagger UI
 * on the gateway loads every service's document from one origin, with the caller's token relayed
 * like on any other route. Ordered before the service's API route, which would otherwise pass the
 * path on unchanged.
 */
public final class ApiDocsRoutes implements RouteDefinitionLocator {
  static final int ORDER = 0;

  private final RoutingProperties properties;

  public ApiDocsRoutes(RoutingProperties properties) {
    this.properties = properties;
  }

  @Override
  public Flux<RouteDefinition> getRouteDefinitions() {
    return Flux.fromIterable(properties.services().byName().entrySet()).map(ApiDocsRoutes::route);
  }

  private static RouteDefinition route(Map.Entry<String, RoutingProperties.Service> service) {
    RouteDefinition route = new RouteDefinition();
    route.setId(RouteIds.docs(service.getKey()));
    route.setUri(service.getValue().uri());
    route.setOrder(ORDER);
    route.setPredicates(
        List.of(
            new PredicateDefinition(
                "Path=/api/"
                    + ServiceRoutes.servicePattern(service.getKey())
                    + "/v3/api-docs/**")));
    // Drops /api/<service>; the document and its sub-paths (groups) keep their own names.
    route.setFilters(List.of(new FilterDefinition("StripPrefix=2")));
    return route;
  }
}
