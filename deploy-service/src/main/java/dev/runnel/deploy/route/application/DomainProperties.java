package dev.runnel.deploy.route.application;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Custom domains and access rules ({@code runnel.deploy.domains.*}).
 *
 * @param defaultIngressClass the ingress class of a domain that names none
 * @param maxAllowListEntries the most networks one IP allowlist may hold
 * @param maxUsers the most basic-auth users one domain may have
 * @param bcryptStrength the bcrypt cost of basic-auth password hashes (2^n rounds)
 */
@ConfigurationProperties("runnel.deploy.domains")
@Validated
public record DomainProperties(
    @DefaultValue("traefik") @NotBlank String defaultIngressClass,
    @DefaultValue("50") @Min(1) @Max(1000) int maxAllowListEntries,
    @DefaultValue("20") @Min(1) @Max(200) int maxUsers,
    @DefaultValue("10") @Min(4) @Max(16) int bcryptStrength) {}
