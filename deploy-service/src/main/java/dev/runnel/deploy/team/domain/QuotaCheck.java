package dev.runnel.deploy.team.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether an install or upgrade fits what is left of the team's quota: the team's other instances
 * already use part of it, this instance wants the rest. Counted across all clusters, because the
 * quota is the team's budget; each cluster's ResourceQuota holds the same figures as a backstop for
 * what is created there without Runnel.
 */
public final class QuotaCheck {
  private QuotaCheck() {}

  /**
   * What is short, one line per resource; empty when it fits.
   *
   * @param otherInstances the team's instances besides this one
   * @param adds true for an install (one instance more), false for an upgrade
   */
  public static List<String> shortages(
      TeamQuota quota,
      long otherInstances,
      ResourceUsage usedByOthers,
      ResourceUsage wanted,
      boolean adds) {
    List<String> out = new ArrayList<>();
    if (adds && quota.instances() != null && otherInstances + 1 > quota.instances()) {
      out.add(
          "instances: the team has "
              + otherInstances
              + " of "
              + quota.instances()
              + " allowed, none left");
    }
    check(out, "CPU requests", quota.cpu(), usedByOthers.cpu(), wanted.cpu(), false);
    check(out, "memory requests", quota.memory(), usedByOthers.memory(), wanted.memory(), true);
    check(out, "storage requests", quota.storage(), usedByOthers.storage(), wanted.storage(), true);
    return out;
  }

  private static void check(
      List<String> out,
      String what,
      String limit,
      BigDecimal used,
      BigDecimal wanted,
      boolean bytes) {
    if (limit == null) {
      return;
    }
    BigDecimal max = Quantities.parse(limit);
    BigDecimal left = max.subtract(used).max(BigDecimal.ZERO);
    if (wanted.compareTo(left) > 0) {
      out.add(
          what
              + ": this app needs "
              + show(wanted, bytes)
              + ", the quota of "
              + limit
              + " has "
              + show(left, bytes)
              + " left ("
              + show(used, bytes)
              + " used by the team's other instances), short by "
              + show(wanted.subtract(left), bytes));
    }
  }

  static String show(BigDecimal amount, boolean bytes) {
    if (bytes) {
      return amount.divide(BigDecimal.valueOf(1L << 20), 0, RoundingMode.CEILING).toPlainString()
          + "Mi";
    }
    return amount
            .multiply(BigDecimal.valueOf(1000))
            .setScale(0, RoundingMode.CEILING)
            .toPlainString()
        + "m";
  }
}
