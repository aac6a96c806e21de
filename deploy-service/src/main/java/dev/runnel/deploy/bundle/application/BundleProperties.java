package dev.runnel.deploy.bundle.application;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on bundles ({@code runnel.deploy.bundle.*}), which on import are untrusted input.
 *
 * @param maxSize the largest bundle accepted, as uploaded (gzip)
 * @param maxUnpacked the most its entries may add up to, unpacked
 * @param maxEntries the most entries (files) a bundle may have
 */
@ConfigurationProperties("runnel.deploy.bundle")
@Validated
public record BundleProperties(
    @DefaultValue("24MB") DataSize maxSize,
    @DefaultValue("96MB") DataSize maxUnpacked,
    @DefaultValue("64") @Min(4) @Max(10_000) int maxEntries) {}
