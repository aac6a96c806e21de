package dev.runnel.deploy.route.domain;

import java.util.regex.Pattern;

/**
 * Which host names a custom domain may carry: an RFC 1123 host name in lower case, at most 253
 * characters, labels of at most 63 letters, digits and inner hyphens, at least two labels (a bare
 * {@code localhost} or {@code com} would capture traffic for names nobody owns), not an IP address
 * (the top-level label may not be all digits), and optionally one wildcard {@code *} as the whole
 * first label ({@code *.apps.example.com}), as Kubernetes Ingress rules accept it. Upper case is
 * refused rather than folded, so the host a caller later deletes is the one shown.
 */
public final class Hostnames {
  public static final int MAX_LENGTH = 253;
  public static final int MAX_LABEL = 63;
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");

  private Hostnames() {}

  public static String host(String raw) {
    if (raw == null || raw.isBlank()) {
      throw invalid("must not be blank");
    }
    if (raw.length() > MAX_LENGTH) {
      throw invalid("must be at most " + MAX_LENGTH + " characters");
    }
    if (raw.endsWith(".")) {
      throw invalid("must not end with '.'; give the name without the trailing dot");
    }
    if (!raw.chars().allMatch(c -> c < 128)
        || !raw.equals(raw.toLowerCase(java.util.Locale.ROOT))) {
      throw invalid("must be lower-case ASCII (use the punycode form xn--... for other scripts)");
    }
    String[] labels = raw.split("\\.", -1);
    boolean wildcard = labels[0].equals("*");
    int named = wildcard ? labels.length - 1 : labels.length;
    if (named < 2) {
      throw invalid(
          "must be a fully qualified name with at least two labels besides a wildcard, such as"
              + " app.example.com or *.example.com");
    }
    for (int i = wildcard ? 1 : 0; i < labels.length; i++) {
      String label = labels[i];
      if (label.isEmpty()) {
        throw invalid("must not contain an empty label ('..' or a leading '.')");
      }
      if (label.length() > MAX_LABEL) {
        throw invalid(
            "has a label longer than " + MAX_LABEL + " characters (label " + (i + 1) + ")");
      }
      if (label.contains("*")) {
        throw invalid(
            "may contain '*' only as the whole first label, as in *.example.com (label "
                + (i + 1)
                + ")");
      }
      if (!LABEL.matcher(label).matches()) {
        throw invalid(
            "label "
                + (i + 1)
                + " must be letters, digits and '-', starting and ending with a letter or digit");
      }
    }
    if (DIGITS.matcher(labels[labels.length - 1]).matches()) {
      throw invalid("must be a host name, not an IP address");
    }
    return raw;
  }

  private static InvalidRouteException invalid(String message) {
    return new InvalidRouteException("host", message);
  }
}
