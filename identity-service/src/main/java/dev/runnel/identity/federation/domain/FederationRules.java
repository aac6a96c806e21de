package dev.runnel.identity.federation.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/** Checks shared by the LDAP and OIDC settings; messages go to the person as they are. */
final class FederationRules {
  private FederationRules() {}

  static String url(String field, String raw, Set<String> schemes, boolean required) {
    if (raw == null || raw.isBlank()) {
      if (required) {
        throw new InvalidFederationException(field, "must not be blank");
      }
      return null;
    }
    String value = raw.strip();
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null
          || !schemes.contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))
          || uri.getHost() == null) {
        throw new InvalidFederationException(
            field,
            "'"
                + value
                + "' must be a URL starting with "
                + String.join(" or ", schemes.stream().map(s -> s + "://").sorted().toList()));
      }
    } catch (URISyntaxException e) {
      throw new InvalidFederationException(field, "'" + value + "' is not a URL");
    }
    return value;
  }

  static String text(String field, String raw, int max, boolean required) {
    if (raw == null || raw.isBlank()) {
      if (required) {
        throw new InvalidFederationException(field, "must not be blank");
      }
      return null;
    }
    String value = raw.strip();
    if (value.length() > max) {
      throw new InvalidFederationException(field, "must be at most " + max + " characters");
    }
    if (value.codePoints().anyMatch(Character::isISOControl)) {
      throw new InvalidFederationException(field, "must not contain control characters");
    }
    return value;
  }
}
