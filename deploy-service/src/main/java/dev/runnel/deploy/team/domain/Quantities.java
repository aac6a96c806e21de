package dev.runnel.deploy.team.domain;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes quantities ({@code 500m}, {@code 2}, {@code 8Gi}, {@code 1e3}) as exact numbers of the
 * base unit (cores, bytes), after the API's own grammar.
 */
public final class Quantities {
  private static final Pattern QUANTITY =
      Pattern.compile("([+-]?[0-9]+(?:\\.[0-9]*)?|[+-]?\\.[0-9]+)([eE][+-]?[0-9]+|[a-zA-Z]*)");
  private static final Map<String, BigDecimal> SUFFIXES =
      Map.ofEntries(
          Map.entry("", BigDecimal.ONE),
          Map.entry("n", new BigDecimal("1e-9")),
          Map.entry("u", new BigDecimal("1e-6")),
          Map.entry("m", new BigDecimal("1e-3")),
          Map.entry("k", new BigDecimal("1e3")),
          Map.entry("M", new BigDecimal("1e6")),
          Map.entry("G", new BigDecimal("1e9")),
          Map.entry("T", new BigDecimal("1e12")),
          Map.entry("P", new BigDecimal("1e15")),
          Map.entry("E", new BigDecimal("1e18")),
          Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
          Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
          Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
          Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
          Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
          Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

  private Quantities() {}

  /** The amount in the base unit; an {@link IllegalArgumentException} when it is no quantity. */
  public static BigDecimal parse(String raw) {
    if (raw == null || raw.isBlank() || raw.length() > 64) {
      throw new IllegalArgumentException("not a quantity: " + raw);
    }
    Matcher m = QUANTITY.matcher(raw.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a quantity: " + raw);
    }
    BigDecimal number = new BigDecimal(m.group(1));
    String suffix = m.group(2);
    if (suffix.startsWith("e") || suffix.startsWith("E")) {
      return number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
    }
    BigDecimal factor = SUFFIXES.get(suffix);
    if (factor == null) {
      throw new IllegalArgumentException("unknown unit '" + suffix + "' in " + raw);
    }
    return number.multiply(factor);
  }
}
