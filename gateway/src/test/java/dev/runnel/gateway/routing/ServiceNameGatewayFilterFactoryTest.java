package dev.runnel.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ServiceNameGatewayFilterFactoryTest {
  private final ServiceNameGatewayFilterFactory factory = new ServiceNameGatewayFilterFactory();

  @Test
  void theFallbackOfARouteWhosePathNamesNoServiceExpandsToTheNamedService() {
    ServiceNameGatewayFilterFactory.Config config = new ServiceNameGatewayFilterFactory.Config();
    config.setName("market");
    MockServerWebExchange exchange =
        MockServerWebExchange.from(MockServerHttpRequest.get("/charts/index.yaml"));
    AtomicReference<String> expanded = new AtomicReference<>();

    StepVerifier.create(
            factory
                .apply(config)
                .filter(
                    exchange,
                    e -> {
                      expanded.set(ServerWebExchangeUtils.expand(e, "/fallback/{service}"));
                      return Mono.empty();
                    }))
        .verifyComplete();

    assertThat(expanded).hasValue("/fallback/market");
  }

  @Test
  void aRouteWithoutAServiceNameIsAConfigurationError() {
    assertThatThrownBy(() -> factory.apply(new ServiceNameGatewayFilterFactory.Config()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ServiceName needs the name");
  }

  @Test
  void theChartRouteTakesMarketsTimeLimit() {
    assertThat(RouteIds.serviceOf(RouteIds.charts("market"))).hasValue("market");
    assertThat(RouteIds.serviceOf(RouteIds.docs("deploy"))).hasValue("deploy");
    assertThat(RouteIds.serviceOf(RouteIds.api("audit"))).hasValue("audit");
  }
}
