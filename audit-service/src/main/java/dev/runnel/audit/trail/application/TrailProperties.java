package dev.runnel.audit.trail.application;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the audit trail.
 *
 * @param knownTopics the platform's topics, created at start-up (when missing) so that the trail's
 *     pattern subscription reads them from the first event on; topics created later are found
 *     within the consumer's metadata refresh
 * @param verifyPageSize how many entries chain verification reads per query
 */
@ConfigurationProperties("audit.trail")
@Validated
public record TrailProperties(
    @NotNull
        @DefaultValue({
          "runnel.market",
          "runnel.deploy",
          "runnel.monitor",
          "runnel.identity",
          "runnel.gateway"
        })
        List<String> knownTopics,
    @DefaultValue("1000") @Min(1) @Max(10000) int verifyPageSize) {}
