package dev.runnel.market.chart.application;

import dev.runnel.market.chart.domain.ChartLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How chart packages are read, published and rendered ({@code runnel.market.charts.*}).
 *
 * @param maxPackageSize the largest chart package a user may publish (compressed, as uploaded)
 * @param maxEntries the most files and folders a package may hold
 * @param maxTotalSize the largest a package may be once decompressed, all files together
 * @param maxFileSize the largest any one file in a package may be once decompressed
 * @param renderKubeVersion the Kubernetes version a published chart is rendered against, which its
 *     {@code kubeVersion} constraint and {@code .Capabilities} see
 * @param renderTimeout how long rendering a chart to check it may take
 */
@ConfigurationProperties("runnel.market.charts")
@Validated
public record ChartsProperties(
    @DefaultValue("10MB") @NotNull DataSize maxPackageSize,
    @DefaultValue("5000") @Min(10) @Max(1_000_000) int maxEntries,
    @DefaultValue("32MB") @NotNull DataSize maxTotalSize,
    @DefaultValue("5MB") @NotNull DataSize maxFileSize,
    @DefaultValue("v1.33.0") @Pattern(regexp = "v?\\d+\\.\\d+\\.\\d+") String renderKubeVersion,
    @DefaultValue("30s") @NotNull Duration renderTimeout) {

  public ChartLimits limits() {
    return new ChartLimits(maxEntries, maxTotalSize.toBytes(), maxFileSize.toBytes());
  }
}
