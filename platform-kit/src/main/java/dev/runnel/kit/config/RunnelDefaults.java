package dev.runnel.kit.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults every service shares, at the lowest precedence so that a service's own configuration or
 * the operator's environment wins. Kept here so that no service copies them.
 */
public class RunnelDefaults implements EnvironmentPostProcessor, Ordered {
  static final String NAME = "runnelDefaults";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("management.endpoints.web.exposure.include", "health,info,prometheus");
    d.put("management.endpoint.health.probes.enabled", "true");
    d.put("management.endpoint.health.show-details", "never");
    d.put("management.endpoint.health.group.readiness.include", "readinessState,r2dbc,kafka");
    d.put("management.endpoint.health.group.liveness.include", "livenessState");
    d.put("management.endpoint.health.validate-group-membership", "false");
    d.put("management.tracing.sampling.probability", "1.0");
    // Metrics are scraped from /actuator/prometheus, not pushed. Traces and logs are exported
    // over OTLP only when an operator sets management.opentelemetry.tracing.export.otlp.endpoint
    // (and .logging.export.otlp.endpoint).
    d.put("management.otlp.metrics.export.enabled", "false");
    d.put("spring.reactor.context-propagation", "auto");
    d.put("logging.structured.format.console", "ecs");
    d.put("springdoc.api-docs.version", "openapi_3_1");
    d.put("springdoc.api-docs.path", "/v3/api-docs");
    d.put("spring.kafka.consumer.auto-offset-reset", "earliest");
    d.put("spring.kafka.consumer.enable-auto-commit", "false");
    d.put("spring.main.banner-mode", "off");
    d.put("server.error.include-stacktrace", "never");
    d.put("server.error.include-message", "never");
    d.put("spring.application.name", "runnel-${runnel.service:unnamed}");
    environment.getPropertySources().addLast(new MapPropertySource(NAME, d));
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
