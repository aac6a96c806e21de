package dev.runnel.deploy.instance.domain;

import java.util.regex.Pattern;

/** What names an instance may carry; messages go to the user as they are. */
public final class InstanceRules {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern TEAM = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern CHART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+_-]{0,63}");

  /** Helm's own limit for release names, which end up in object names. */
  public static final int MAX_NAME = 53;

  private InstanceRules() {}

  public static String name(String raw) {
    return dnsLabel("name", raw, MAX_NAME);
  }

  public static String namespace(String raw) {
    return dnsLabel("namespace", raw, 63);
  }

  public static String team(String raw) {
    if (raw == null || !TEAM.matcher(raw).matches()) {
      throw new InvalidInstanceException(
          "team", "must be a team name (lower-case letters, digits and '-')");
    }
    return raw;
  }

  public static String chartRef(String field, String raw) {
    if (raw == null || !CHART.matcher(raw).matches()) {
      throw new InvalidInstanceException(
          field, "must be letters, digits, '.', '_' or '-', at most 128 characters");
    }
    return raw;
  }

  public static String version(String raw) {
    if (raw == null || !VERSION.matcher(raw).matches()) {
      throw new InvalidInstanceException("version", "must be a chart version such as 1.2.3");
    }
    return raw;
  }

  private static String dnsLabel(String field, String raw, int max) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidInstanceException(field, "must not be blank");
    }
    if (raw.length() > max || !DNS_LABEL.matcher(raw).matches()) {
      throw new InvalidInstanceException(
          field,
          "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending"
              + " with a letter or digit, at most "
              + max
              + " characters");
    }
    return raw;
  }
}
