package dev.runnel.gateway.limits;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Request body limits at the gateway. The platform kit's limit ({@code runnel.web.max-body-bytes})
 * applies to every request first, so for the gateway it is set to the largest limit here, and these
 * limits narrow it down per path.
 *
 * @param standard every request except chart uploads (the services' own JSON limit)
 * @param chartUpload {@code POST /api/market/v1/charts}: a packaged Helm chart, multipart
 */
@ConfigurationProperties("runnel.gateway.body-limits")
@Validated
public record BodyLimitsProperties(
    @NotNull @DefaultValue("256KB") DataSize standard,
    @NotNull @DefaultValue("10MB") DataSize chartUpload) {

  public BodyLimitsProperties {
    if (standard.toBytes() < 1024 || chartUpload.toBytes() < 1024) {
      throw new IllegalArgumentException(
          "runnel.gateway.body-limits.* must be at least 1KB, not " + standard + "/" + chartUpload);
    }
  }

  /** The largest body any path accepts: what the platform kit's own limit must allow. */
  public long largest() {
    return Math.max(standard.toBytes(), chartUpload.toBytes());
  }
}
