package dev.runnel.deploy.observe;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on reading instances' logs and events ({@code runnel.deploy.observe.*}).
 *
 * @param defaultTailLines lines returned when the request names no {@code tailLines}
 * @param maxTailLines the most lines one request may ask for
 * @param maxFollowsPerUser follow streams one user may have open on one instance at once
 * @param maxFollows follow streams open at once in this service, all users together
 * @param followMaxDuration a follow stream ends after this long, whatever the pod does
 * @param maxEvents the most Events one request may ask for
 */
@ConfigurationProperties("runnel.deploy.observe")
@Validated
public record ObserveProperties(
    @DefaultValue("100") @Min(1) int defaultTailLines,
    @DefaultValue("5000") @Min(1) @Max(100_000) int maxTailLines,
    @DefaultValue("3") @Min(1) int maxFollowsPerUser,
    @DefaultValue("200") @Min(1) int maxFollows,
    @DefaultValue("30m") Duration followMaxDuration,
    @DefaultValue("500") @Min(1) int maxEvents) {}
