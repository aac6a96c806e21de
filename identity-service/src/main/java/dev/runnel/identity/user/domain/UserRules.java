package dev.runnel.identity.user.domain;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** What a user's fields may hold; the messages go to the person as they are. */
public final class UserRules {
  public static final Set<String> PLATFORM_ROLES = Set.of("platform-admin", "platform-auditor");
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{1,63}");
  // Deliberately loose: one @, a dot in the domain, no spaces. Keycloak and mail servers decide
  // the rest; this catches typing mistakes with a message the person can act on.
  private static final Pattern EMAIL =
      Pattern.compile("[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}.]+(\\.[^@\\s\\p{Cntrl}.]+)+");
  private static final int MAX_NAME = 100;
  private static final int MAX_PASSWORD = 256;

  private UserRules() {}

  public static String username(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidUserException("username", "must not be blank");
    }
    String name = raw.strip().toLowerCase(Locale.ROOT);
    if (!USERNAME.matcher(name).matches()) {
      throw new InvalidUserException(
          "username",
          "must be 2 to 64 characters: lowercase letters, digits and . _ @ -, starting with a"
              + " letter or digit");
    }
    return name;
  }

  public static String email(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidUserException("email", "must not be blank");
    }
    String email = raw.strip();
    if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
      throw new InvalidUserException(
          "email", "'" + email + "' is not an email address (expected name@example.com)");
    }
    return email;
  }

  /** First or last name: optional, at most 100 characters, no control characters. */
  public static String name(String field, String raw) {
    if (raw == null) {
      return "";
    }
    String name = raw.strip();
    if (name.codePointCount(0, name.length()) > MAX_NAME) {
      throw new InvalidUserException(field, "must be at most " + MAX_NAME + " characters");
    }
    if (name.codePoints().anyMatch(Character::isISOControl)) {
      throw new InvalidUserException(field, "must not contain control characters");
    }
    return name;
  }

  /** Length and content rules beyond this are the realm's password policy, checked by Keycloak. */
  public static String password(String field, String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidUserException(field, "must not be empty");
    }
    if (raw.length() > MAX_PASSWORD) {
      throw new InvalidUserException(field, "must be at most " + MAX_PASSWORD + " characters");
    }
    return raw;
  }

  public static Set<String> platformRoles(Iterable<String> raw) {
    Set<String> roles = new LinkedHashSet<>();
    if (raw == null) {
      return roles;
    }
    for (String role : raw) {
      if (role == null || !PLATFORM_ROLES.contains(role)) {
        throw new InvalidUserException(
            "platformRoles",
            "'" + role + "' is not a platform role; use platform-admin or platform-auditor");
      }
      roles.add(role);
    }
    return roles;
  }
}
