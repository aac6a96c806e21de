package dev.runnel.deploy.instance.application;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** A position in the creation-ordered list of instances, opaque to clients. */
public record InstanceCursor(Instant createdAt, UUID id) {
  public String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((createdAt.toString() + "|" + id).getBytes(StandardCharsets.UTF_8));
  }

  /** Null when the text was not produced by {@link #encode()}. */
  public static InstanceCursor decode(String raw) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
      int bar = text.indexOf('|');
      return new InstanceCursor(
          Instant.parse(text.substring(0, bar)), UUID.fromString(text.substring(bar + 1)));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
