package dev.runnel.deploy.bundle;

import dev.runnel.deploy.bundle.application.BundleProperties;
import dev.runnel.kit.web.BodyLimitOverride;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires export and import of instance bundles. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BundleProperties.class)
public class BundleConfiguration {
  /** Room for the multipart framing and the small form fields around the bundle. */
  public static final long MULTIPART_OVERHEAD = 64 * 1024;

  /**
   * Imports stream past the kit's 256 KiB JSON body limit; the import handler bounds the bundle at
   * {@code runnel.deploy.bundle.max-size} itself. The kit's check stays behind, a little higher.
   */
  @Bean
  BodyLimitOverride bundleImportBodyLimit(BundleProperties properties) {
    return new BodyLimitOverride(
        "/api/deploy/v1/instances/import", properties.maxSize().toBytes() + 2 * MULTIPART_OVERHEAD);
  }
}
