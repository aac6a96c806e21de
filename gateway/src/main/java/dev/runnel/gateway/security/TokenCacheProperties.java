package dev.runnel.gateway.security;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's memory of bearer tokens it has already validated ({@link CachingJwtDecoder}).
 *
 * @param enabled off: every request's token is decoded and its signature checked again
 * @param maxEntries how many distinct tokens are remembered at most; past it, new tokens are
 *     validated every time until remembered ones expire
 * @param maxAge how long a validated token is trusted without a new check at most, even when it
 *     expires later: bounds how long a token signed by a key the issuer has since withdrawn from
 *     its JWKS keeps being accepted
 */
@ConfigurationProperties("runnel.gateway.token-cache")
@Validated
public record TokenCacheProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("10000") @Min(1) int maxEntries,
    @NotNull @DefaultValue("5m") Duration maxAge) {

  public TokenCacheProperties {
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      throw new IllegalArgumentException(
          "runnel.gateway.token-cache.max-age must be longer than zero, not " + maxAge);
    }
  }
}
