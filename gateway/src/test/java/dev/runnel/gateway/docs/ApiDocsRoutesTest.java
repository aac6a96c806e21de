package dev.runnel.gateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.gateway.routing.RoutingProperties;
import dev.runnel.gateway.routing.ServiceRoutes;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.route.RouteDefinition;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class ApiDocsRoutesTest {
  private final RoutingProperties properties =
      new RoutingProperties(
          new RoutingProperties.Services(
              new RoutingProperties.Service(URI.create("http://market-service:8080"), null),
              null,
              null,
              null,
              null),
          Duration.ofSeconds(10),
          new RoutingProperties.CircuitBreaker(50, 20, 10, Duration.ofSeconds(10), 3));

  @Test
  void eachServicesDocumentIsRoutedToItsOwnApiDocsPathAtItsAddress() {
    StepVerifier.create(new ApiDocsRoutes(properties).getRouteDefinitions().collectList())
        .assertNext(
            routes -> {
              assertThat(routes)
                  .extracting(RouteDefinition::getId)
                  .hasSize(5)
                  .contains("market-docs");
              RouteDefinition market = routes.get(0);
              assertThat(market.getUri()).isEqualTo(URI.create("http://market-service:8080"));
              assertThat(market.getPredicates().get(0).getArgs())
                  .containsValue("/api/{service:market}/v3/api-docs/**");
              assertThat(market.getFilters())
                  .singleElement()
                  .satisfies(
                      f -> {
                        assertThat(f.getName()).isEqualTo("StripPrefix");
                        assertThat(f.getArgs()).containsValue("2");
                      });
            })
        .verifyComplete();
  }

  @Test
  void documentRoutesComeBeforeTheApiRoutesTheirPathsAlsoMatchAndNoIdRepeats() {
    Flux<RouteDefinition> all =
        Flux.concat(
            new ApiDocsRoutes(properties).getRouteDefinitions(),
            new ServiceRoutes(properties).getRouteDefinitions());

    StepVerifier.create(all.collectList())
        .assertNext(
            routes -> {
              List<String> ids = routes.stream().map(RouteDefinition::getId).toList();
              assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
              Set<Integer> docsOrders = new HashSet<>();
              Set<Integer> apiOrders = new HashSet<>();
              for (RouteDefinition route : routes) {
                (route.getId().endsWith("-docs") ? docsOrders : apiOrders).add(route.getOrder());
              }
              assertThat(docsOrders).allSatisfy(d -> assertThat(apiOrders).allMatch(a -> d < a));
            })
        .verifyComplete();
  }
}
