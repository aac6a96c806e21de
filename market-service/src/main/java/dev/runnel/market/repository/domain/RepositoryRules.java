package dev.runnel.market.repository.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/** What a repository's fields may hold; the messages go to the user as they are. */
public final class RepositoryRules {
  public static final String LOCAL = "local";
  public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
  public static final Duration MAX_INTERVAL = Duration.ofDays(7);
  static final int MAX_URL = 2048;
  static final int MAX_SECRET = 4096;
  static final int MAX_CA = 65536;
  // DNS-label shaped: it appears in /charts names and in event subjects.
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");

  private RepositoryRules() {}

  public static String name(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidRepositoryException("name", "must not be blank");
    }
    if (!NAME.matcher(raw).matches()) {
      throw new InvalidRepositoryException(
          "name",
          "must be 1 to 40 lower-case letters, digits or dashes, starting and ending with a letter"
              + " or digit");
    }
    return raw;
  }

  /** An absolute http(s) URL without credentials or fragment, stored without a trailing slash. */
  public static String url(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidRepositoryException("url", "must not be blank");
    }
    String url = raw.strip();
    if (url.length() > MAX_URL) {
      throw new InvalidRepositoryException("url", "must be at most " + MAX_URL + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidRepositoryException("url", "is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new InvalidRepositoryException("url", "must start with http:// or https://");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new InvalidRepositoryException("url", "must name a host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new InvalidRepositoryException(
          "url", "must not carry credentials; use username and password instead");
    }
    if (uri.getRawFragment() != null || uri.getRawQuery() != null) {
      throw new InvalidRepositoryException("url", "must not have a query or a fragment");
    }
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    if (url.endsWith("/index.yaml")) {
      throw new InvalidRepositoryException(
          "url", "is the repository's address without /index.yaml at the end");
    }
    return url;
  }

  public static Duration interval(Duration interval) {
    if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
      throw new InvalidRepositoryException(
          "syncIntervalSeconds", "must be between 60 and " + MAX_INTERVAL.toSeconds());
    }
    return interval;
  }

  public static String username(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidRepositoryException("username", "is required with a password");
    }
    if (raw.length() > 256
        || raw.indexOf(':') >= 0
        || raw.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidRepositoryException(
          "username", "must be at most 256 characters without ':' or control characters");
    }
    return raw;
  }

  public static String secret(String field, String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidRepositoryException(field, "must not be empty");
    }
    if (raw.length() > MAX_SECRET || raw.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidRepositoryException(
          field, "must be at most " + MAX_SECRET + " characters without control characters");
    }
    return raw;
  }

  public static String caPem(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    if (raw.length() > MAX_CA) {
      throw new InvalidRepositoryException("caPem", "must be at most 64 KiB");
    }
    if (!raw.contains("-----BEGIN CERTIFICATE-----")) {
      throw new InvalidRepositoryException(
          "caPem", "must hold PEM certificates (-----BEGIN CERTIFICATE-----)");
    }
    return raw;
  }
}
