package dev.runnel.gateway.routing;

import java.util.List;
import java.util.Map;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;

/**
 * Names the service of a route whose path does not ({@code /charts/**}), as the {@code service} URI
 * variable that the shared circuit breaker's {@code fallbackUri: forward:/fallback/{service}}
 * expands when the call fails, so the 503 problem names the service that failed.
 */
public final class ServiceNameGatewayFilterFactory
    extends AbstractGatewayFilterFactory<ServiceNameGatewayFilterFactory.Config> {

  public ServiceNameGatewayFilterFactory() {
    super(Config.class);
  }

  @Override
  public List<String> shortcutFieldOrder() {
    return List.of("name");
  }

  @Override
  public GatewayFilter apply(Config config) {
    String name = config.getName();
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("ServiceName needs the name of the route's service");
    }
    return (exchange, chain) -> {
      ServerWebExchangeUtils.putUriTemplateVariables(exchange, Map.of("service", name));
      return chain.filter(exchange);
    };
  }

  /** The filter's argument: {@code ServiceName=market}. */
  public static final class Config {
    private String name;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }
  }
}
