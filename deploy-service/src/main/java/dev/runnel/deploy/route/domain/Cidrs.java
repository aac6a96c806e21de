package dev.runnel.deploy.route.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * IP allowlists: IPv4 and IPv6 networks in CIDR notation. A bare address means that one host
 * ({@code /32} or {@code /128}). Parsed by hand, never through {@code InetAddress}, which would
 * resolve a name through DNS. IPv4 octets with leading zeros are refused: some parsers read them as
 * octal, and a rule that means different networks to different proxies is worse than none.
 */
public final class Cidrs {
  private Cidrs() {}

  /** The allowlist in canonical form (lower case, with a prefix), duplicates dropped. */
  public static List<String> allowlist(String field, List<String> raw, int max) {
    if (raw == null) {
      return List.of();
    }
    if (raw.size() > max) {
      throw new InvalidRouteException(
          field, "has " + raw.size() + " entries; at most " + max + " are allowed");
    }
    Set<String> result = new LinkedHashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      result.add(cidr(field + "[" + i + "]", raw.get(i)));
    }
    return List.copyOf(result);
  }

  public static String cidr(String field, String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidRouteException(field, "must be an IP address or network such as 10.0.0.0/8");
    }
    if (raw.length() > 49) {
      throw new InvalidRouteException(field, "is too long for an IP network");
    }
    String value = raw.toLowerCase(Locale.ROOT);
    int slash = value.indexOf('/');
    String address = slash < 0 ? value : value.substring(0, slash);
    boolean v6 = address.contains(":");
    int bits = v6 ? 128 : 32;
    boolean valid = v6 ? ipv6(address) : ipv4(address);
    if (!valid) {
      throw new InvalidRouteException(
          field,
          "is not an IPv"
              + (v6 ? "6" : "4")
              + " address or network (expected forms: 203.0.113.0/24, 2001:db8::/32)");
    }
    int prefix = bits;
    if (slash >= 0) {
      String p = value.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new InvalidRouteException(field, "has a prefix length that is not a number");
      }
      prefix = Integer.parseInt(p);
      if (prefix > bits || (p.length() > 1 && p.startsWith("0"))) {
        throw new InvalidRouteException(
            field, "has prefix length /" + p + "; it must be 0 to " + bits);
      }
    }
    return address + "/" + prefix;
  }

  static boolean ipv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty()
          || part.length() > 3
          || !part.chars().allMatch(Character::isDigit)
          || (part.length() > 1 && part.startsWith("0"))
          || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  static boolean ipv6(String s) {
    if (s.contains("%")) {
      return false;
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    List<String> groups = new ArrayList<>();
    if (gap >= 0) {
      String head = s.substring(0, gap);
      String tail = s.substring(gap + 2);
      if (!head.isEmpty()) {
        groups.addAll(List.of(head.split(":", -1)));
      }
      if (!tail.isEmpty()) {
        groups.addAll(List.of(tail.split(":", -1)));
      }
    } else {
      groups.addAll(List.of(s.split(":", -1)));
    }
    int count = 0;
    for (int i = 0; i < groups.size(); i++) {
      String g = groups.get(i);
      if (i == groups.size() - 1 && g.contains(".")) {
        if (!ipv4(g)) {
          return false;
        }
        count += 2;
        continue;
      }
      if (g.isEmpty() || g.length() > 4 || !g.chars().allMatch(Cidrs::hex)) {
        return false;
      }
      count++;
    }
    return gap >= 0 ? count <= 7 : count == 8;
  }

  private static boolean hex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }
}
