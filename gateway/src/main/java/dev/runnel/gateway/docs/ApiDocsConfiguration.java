package dev.runnel.gateway.docs;

import dev.runnel.gateway.routing.RoutingProperties;
import java.net.URI;
import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The aggregated API documentation: routes to each service's OpenAPI document, and {@code
 * /api/docs} as the short address of Swagger UI. Swagger UI itself and the documents it lists are
 * configured under {@code springdoc.swagger-ui} in {@code application.yaml}.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

  @Bean
  ApiDocsRoutes apiDocsRoutes(RoutingProperties properties) {
    return new ApiDocsRoutes(properties);
  }

  @Bean
  RouterFunction<ServerResponse> apiDocsEntry(SwaggerUiConfigProperties swaggerUi) {
    URI page = URI.create(swaggerUi.getPath());
    return RouterFunctions.route()
        .GET("/api/docs", request -> ServerResponse.status(HttpStatus.FOUND).location(page).build())
        .GET(
            "/api/docs/", request -> ServerResponse.status(HttpStatus.FOUND).location(page).build())
        .build();
  }
}
