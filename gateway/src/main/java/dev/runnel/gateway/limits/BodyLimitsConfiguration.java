package dev.runnel.gateway.limits;

import dev.runnel.kit.config.RunnelProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BodyLimitsProperties.class)
class BodyLimitsConfiguration {

  @Bean
  RequestBodyLimits requestBodyLimits(BodyLimitsProperties limits, RunnelProperties kit) {
    // The kit's filter runs after ours on every request; a smaller kit limit would silently cap
    // chart uploads below what is configured here.
    if (kit.web().maxBodyBytes() < limits.largest()) {
      throw new IllegalStateException(
          "runnel.web.max-body-bytes ("
              + kit.web().maxBodyBytes()
              + ") must be at least the largest runnel.gateway.body-limits.* ("
              + limits.largest()
              + " bytes)");
    }
    return new RequestBodyLimits(limits);
  }
}
