package dev.runnel.identity.user.application;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A position in the user list, opaque to clients. Keycloak pages users by offset in user-name
 * order, so the cursor carries the offset and the query it belongs to (a cursor from another search
 * is refused rather than silently paging the wrong list).
 */
public record UserCursor(int offset, String query) {
  public String encode() {
    String text = offset + ":" + (query == null ? "" : query);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Null when the cursor was not produced by {@link #encode()}. */
  public static UserCursor decode(String raw) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
      int colon = text.indexOf(':');
      int offset = Integer.parseInt(text.substring(0, colon));
      if (offset < 0) {
        return null;
      }
      return new UserCursor(offset, text.substring(colon + 1));
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      return null;
    }
  }
}
