package dev.runnel.identity.team.domain;

import java.util.regex.Pattern;

/**
 * What a team may use on a cluster, as Kubernetes quantities; null means no limit. deploy-service
 * turns it into the namespace's ResourceQuota.
 *
 * @param cpu CPU cores ({@code 4}, {@code 2.5}, {@code 500m})
 * @param memory memory ({@code 8Gi}, {@code 512Mi})
 * @param storage persistent volume storage ({@code 100Gi})
 * @param instances how many instances the team may have
 */
public record Quota(String team, String cpu, String memory, String storage, Integer instances) {
  private static final Pattern CPU = Pattern.compile("(\\d{1,6}(\\.\\d{1,3})?|\\d{1,9}m)");
  private static final Pattern BYTES =
      Pattern.compile("\\d{1,15}(\\.\\d{1,3})?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");
  public static final int MAX_INSTANCES = 100_000;

  public Quota {
    cpu = quantity("cpu", cpu, CPU, "a number of cores such as 4, 2.5 or 500m");
    memory = quantity("memory", memory, BYTES, "a size such as 8Gi or 512Mi");
    storage = quantity("storage", storage, BYTES, "a size such as 100Gi");
    if (instances != null && (instances < 0 || instances > MAX_INSTANCES)) {
      throw new InvalidTeamException("instances", "must be between 0 and " + MAX_INSTANCES);
    }
  }

  public static Quota unlimited(String team) {
    return new Quota(team, null, null, null, null);
  }

  private static String quantity(String field, String raw, Pattern pattern, String example) {
    if (raw == null) {
      return null;
    }
    String value = raw.strip();
    if (!pattern.matcher(value).matches()) {
      throw new InvalidTeamException(
          field, "'" + raw + "' is not a Kubernetes quantity; use " + example);
    }
    return value;
  }
}
