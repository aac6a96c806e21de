package dev.runnel.market.chart;

import dev.runnel.kit.web.BodyLimitOverride;
import dev.runnel.market.chart.application.ChartsProperties;
import dev.runnel.market.chart.domain.ChartArchiveReader;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires chart reading and publishing. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ChartsProperties.class)
public class ChartsConfiguration {
  /** Room for the multipart framing and the small form fields around the package. */
  public static final long MULTIPART_OVERHEAD = 64 * 1024;

  @Bean
  ChartArchiveReader chartArchiveReader(ChartsProperties properties) {
    return new ChartArchiveReader(properties.limits());
  }

  /**
   * Uploads stream past the kit's 256 KiB JSON body limit; the publish handlers bound them at
   * {@code runnel.market.charts.max-package-size} themselves, and refuse a larger declared length
   * with a message about charts. The kit's check stays behind them, a little higher, as a backstop.
   */
  @Bean
  BodyLimitOverride chartUploadBodyLimit(ChartsProperties properties) {
    return new BodyLimitOverride(
        "/api/market/v1/charts", properties.maxPackageSize().toBytes() + 2 * MULTIPART_OVERHEAD);
  }

  @Bean
  BodyLimitOverride chartMuseumUploadBodyLimit(ChartsProperties properties) {
    return new BodyLimitOverride(
        "/api/charts", properties.maxPackageSize().toBytes() + MULTIPART_OVERHEAD);
  }
}
