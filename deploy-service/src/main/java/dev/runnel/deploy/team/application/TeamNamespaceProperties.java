package dev.runnel.deploy.team.application;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How teams' namespaces are laid out on clusters ({@code runnel.deploy.teams.*}).
 *
 * @param ingressNamespace namespace of the ingress controller, whose pods the team's network policy
 *     admits (K3s runs Traefik in {@code kube-system})
 * @param defaultCpuRequest CPU request the LimitRange gives a container that names none, so it
 *     still counts against the quota
 * @param defaultMemoryRequest memory request the LimitRange gives a container that names none
 * @param reconcileInterval how often the namespaces that are behind are looked for
 * @param maxPerPass the most team × cluster pairs one pass handles; the rest wait for the next
 * @param firstRetryPause pause after the first failure on a cluster; it doubles with each failure
 * @param longestRetryPause the longest pause between attempts on a failing cluster
 * @param namespaceDeletionWait how long removing a deleted team's namespace waits for it to be gone
 *     before the attempt counts as failed (and is retried); below the Kubernetes call timeout
 */
@ConfigurationProperties("runnel.deploy.teams")
@Validated
public record TeamNamespaceProperties(
    @DefaultValue("kube-system") @NotBlank String ingressNamespace,
    @DefaultValue("100m") @NotBlank String defaultCpuRequest,
    @DefaultValue("128Mi") @NotBlank String defaultMemoryRequest,
    @DefaultValue("5s") Duration reconcileInterval,
    @DefaultValue("200") @Min(1) @Max(10_000) int maxPerPass,
    @DefaultValue("5s") Duration firstRetryPause,
    @DefaultValue("5m") Duration longestRetryPause,
    @DefaultValue("10s") Duration namespaceDeletionWait) {}
