package dev.runnel.kit.web;

import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request bodies are read strictly: an unknown field, a null for a number or trailing garbage is a
 * 400 that names the field, not a silently ignored typo. Bodies larger than the limit are 413.
 * Event payloads are read leniently elsewhere, since producers add optional fields.
 */
public final class StrictJsonWebConfigurer implements WebFluxConfigurer {
  private final JsonMapper strict;
  private final int maxBodyBytes;

  public StrictJsonWebConfigurer(JsonMapper base, int maxBodyBytes) {
    this.strict =
        base.rebuild()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
    JacksonJsonDecoder decoder = new JacksonJsonDecoder(strict);
    decoder.setMaxInMemorySize(maxBodyBytes);
    configurer.defaultCodecs().jacksonJsonDecoder(decoder);
    configurer.defaultCodecs().maxInMemorySize(maxBodyBytes);
  }
}
