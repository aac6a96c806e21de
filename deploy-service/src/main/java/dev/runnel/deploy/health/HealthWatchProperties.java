package dev.runnel.deploy.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The standing health watch ({@code runnel.deploy.health.*}).
 *
 * @param enabled whether instances are watched after their operations end
 * @param debounce how long changes to one instance are gathered before its health is recomputed, so
 *     a rollout's burst of object changes becomes one health change
 * @param resync how often the informers replay their cache (a missed change is caught then)
 * @param clusterRefresh how often the registered clusters are compared with the watched ones
 * @param unreachableAfter how long a cluster's watches may be down before its instances turn
 *     Unknown
 * @param operationRecheck how soon an instance skipped because an operation ran on it is looked at
 *     again
 */
@ConfigurationProperties("runnel.deploy.health")
@Validated
public record HealthWatchProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("150ms") Duration debounce,
    @DefaultValue("10m") Duration resync,
    @DefaultValue("5s") Duration clusterRefresh,
    @DefaultValue("30s") Duration unreachableAfter,
    @DefaultValue("2s") Duration operationRecheck) {}
