package dev.runnel.gateway.fallback;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The target of every route's {@code fallbackUri: forward:/fallback/{service}}. A breaker's forward
 * goes straight to the dispatcher, past the security filters, which deny this path to anyone
 * calling it from outside.
 */
@Configuration(proxyBeanMethods = false)
class FallbackConfiguration {

  @Bean
  ServiceUnavailableFallback serviceUnavailableFallback() {
    return new ServiceUnavailableFallback();
  }

  @Bean
  RouterFunction<ServerResponse> fallbackRoute(ServiceUnavailableFallback fallback) {
    return RouterFunctions.route(RequestPredicates.path("/fallback/{service}"), fallback::handle);
  }
}
