package dev.runnel.deploy.team.domain;

/**
 * A team's quota as identity-service publishes it; null means no limit. The quantities stay the
 * strings identity-service accepted (Kubernetes quantities), so the ResourceQuota carries exactly
 * what an admin typed.
 *
 * @param cpu CPU cores requested by all the team's pods together (4, 2.5, 500m)
 * @param memory memory requested by all the team's pods together (8Gi)
 * @param storage storage requested by the team's persistent volume claims (100Gi)
 * @param instances how many instances the team may have
 */
public record TeamQuota(String cpu, String memory, String storage, Integer instances) {
  public static final TeamQuota NONE = new TeamQuota(null, null, null, null);

  public TeamQuota {
    cpu = checked("cpu", cpu);
    memory = checked("memory", memory);
    storage = checked("storage", storage);
    if (instances != null && instances < 0) {
      throw new InvalidTeamEventException("instances must not be negative: " + instances);
    }
  }

  public boolean limitsAnything() {
    return cpu != null || memory != null || storage != null || instances != null;
  }

  private static String checked(String field, String quantity) {
    if (quantity == null) {
      return null;
    }
    try {
      Quantities.parse(quantity);
    } catch (IllegalArgumentException e) {
      throw new InvalidTeamEventException(field + " is not a Kubernetes quantity: " + quantity);
    }
    return quantity;
  }
}
