package dev.runnel.gateway.routing;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Routes to the services and the resilience every route gets. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RoutingProperties.class)
class RoutingConfiguration {

  @Bean
  ServiceRoutes serviceRoutes(RoutingProperties properties) {
    return new ServiceRoutes(properties);
  }

  @Bean
  ServiceNameGatewayFilterFactory serviceNameGatewayFilterFactory() {
    return new ServiceNameGatewayFilterFactory();
  }

  @Bean
  RouteResilience routeResilience(RoutingProperties properties) {
    return new RouteResilience(properties);
  }
}
