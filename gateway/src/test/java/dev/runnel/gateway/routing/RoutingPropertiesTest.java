package dev.runnel.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

class RoutingPropertiesTest {

  @Test
  void withoutConfigurationEveryServiceIsOnItsLocalPort() {
    RoutingProperties properties = bind(Map.of());

    assertThat(properties.services().byName())
        .extractingFromEntries(e -> e.getKey() + "=" + e.getValue().uri())
        .containsExactly(
            "market=http://127.0.0.1:8081",
            "deploy=http://127.0.0.1:8082",
            "monitor=http://127.0.0.1:8083",
            "audit=http://127.0.0.1:8084",
            "identity=http://127.0.0.1:8085");
    assertThat(properties.timeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aServiceCanMoveAndAnotherCanSetOnlyItsOwnTimeLimit() {
    RoutingProperties properties =
        bind(
            Map.of(
                "runnel.gateway.services.market.uri", "http://market-service:8080",
                "runnel.gateway.services.monitor.timeout", "500ms",
                "runnel.gateway.timeout", "3s"));

    assertThat(properties.services().market().uri())
        .isEqualTo(URI.create("http://market-service:8080"));
    assertThat(properties.services().monitor().uri())
        .isEqualTo(URI.create("http://127.0.0.1:8083"));
    assertThat(properties.timeoutFor(RouteIds.api("monitor"))).isEqualTo(Duration.ofMillis(500));
    assertThat(properties.timeoutFor(RouteIds.docs("monitor"))).isEqualTo(Duration.ofMillis(500));
    assertThat(properties.timeoutFor(RouteIds.api("market"))).isEqualTo(Duration.ofSeconds(3));
    assertThat(properties.timeoutFor("a-route-of-no-service")).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aServiceAddressWithoutSchemeOrHostIsRefusedAtStartup() {
    assertThatThrownBy(() -> bind(Map.of("runnel.gateway.services.audit.uri", "audit:8084")))
        .isInstanceOf(BindException.class)
        .rootCause()
        .hasMessageContaining("needs http or https and a host");
  }

  @Test
  void aTimeLimitOfZeroIsRefused() {
    assertThatThrownBy(() -> bind(Map.of("runnel.gateway.services.deploy.timeout", "0s")))
        .isInstanceOf(BindException.class)
        .rootCause()
        .hasMessageContaining("must be longer than zero");
  }

  @Test
  void aFailureRateAboveOneHundredPercentIsRefused() {
    assertThatThrownBy(
            () -> bind(Map.of("runnel.gateway.circuit-breaker.failure-rate-threshold", "150")))
        .isInstanceOf(BindException.class)
        .hasStackTraceContaining("failureRateThreshold");
  }

  private static RoutingProperties bind(Map<String, String> values) {
    LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
    validator.afterPropertiesSet();
    try {
      return new Binder(new MapConfigurationPropertySource(values))
          .bindOrCreate(
              "runnel.gateway",
              Bindable.of(RoutingProperties.class),
              new ValidationBindHandler(validator));
    } finally {
      validator.close();
    }
  }
}
