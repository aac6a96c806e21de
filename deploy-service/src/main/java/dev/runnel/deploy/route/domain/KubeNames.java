package dev.runnel.deploy.route.domain;

import java.util.regex.Pattern;

/** The Kubernetes name rules the domain request's references must follow. */
public final class KubeNames {
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL_1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@+-]{1,64}");

  private KubeNames() {}

  /** A DNS-1123 subdomain (Secrets, issuers, ingress classes). */
  public static String subdomain(String field, String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidRouteException(field, "must not be blank");
    }
    if (raw.length() > 253 || !SUBDOMAIN.matcher(raw).matches()) {
      throw new InvalidRouteException(
          field,
          "must be a Kubernetes object name: lower-case letters, digits, '-' and '.', at most 253"
              + " characters");
    }
    return raw;
  }

  /** A Service name (DNS-1035 label). */
  public static String serviceName(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidRouteException("service", "must name a Service of the instance");
    }
    if (raw.length() > 63 || !LABEL_1035.matcher(raw).matches()) {
      throw new InvalidRouteException(
          "service",
          "must be a Service name: lower-case letters, digits and '-', starting with a letter,"
              + " at most 63 characters");
    }
    return raw;
  }

  /** A port by number (1-65535) or by name (IANA service name), as a string. */
  public static String port(Object raw) {
    if (raw instanceof Number n) {
      long v = n.longValue();
      if (v != n.doubleValue() || v < 1 || v > 65535) {
        throw new InvalidRouteException("port", "must be a port number from 1 to 65535 or a name");
      }
      return Long.toString(v);
    }
    if (raw instanceof String s && !s.isEmpty()) {
      if (s.chars().allMatch(Character::isDigit) && s.length() <= 5) {
        return port(Long.parseLong(s));
      }
      if (s.length() > 15 || !PORT_NAME.matcher(s).matches() || !s.matches(".*[a-z].*")) {
        throw new InvalidRouteException(
            "port",
            "must be a port number from 1 to 65535 or a port name (lower-case letters, digits"
                + " and '-', at most 15 characters)");
      }
      return s;
    }
    throw new InvalidRouteException("port", "must be a port number from 1 to 65535 or a name");
  }

  public static boolean isNumber(String port) {
    return !port.isEmpty() && port.chars().allMatch(Character::isDigit);
  }

  /** Basic-auth user names go into an htpasswd file: no ':' and no whitespace. */
  public static String username(String field, String raw) {
    if (raw == null || !USERNAME.matcher(raw).matches()) {
      throw new InvalidRouteException(
          field, "must be 1 to 64 letters, digits or '.', '_', '@', '+', '-'");
    }
    return raw;
  }
}
