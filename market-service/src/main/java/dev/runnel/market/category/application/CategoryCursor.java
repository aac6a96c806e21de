package dev.runnel.market.category.application;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** A position in the name-ordered list of categories, opaque to clients. */
public record CategoryCursor(String lowerName, UUID id) {
  public String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((id + ":" + lowerName).getBytes(StandardCharsets.UTF_8));
  }

  /** Null when the cursor was not produced by {@link #encode()}. */
  public static CategoryCursor decode(String raw) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
      int colon = text.indexOf(':');
      return new CategoryCursor(
          text.substring(colon + 1), UUID.fromString(text.substring(0, colon)));
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      return null;
    }
  }
}
