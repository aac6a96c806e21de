package dev.runnel.deploy.cluster.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Kubernetes cluster Runnel deploys to. Platform-wide (no team). Its kubeconfig is a credential
 * and lives sealed beside it, never in this record.
 *
 * @param simulated true for kube-sandbox, which marks itself; shown to users as "simulated"
 */
public record Cluster(
    String name,
    String server,
    String kubernetesVersion,
    boolean simulated,
    int nodeCount,
    Instant createdAt,
    Instant updatedAt) {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public Cluster {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(server, "server");
  }

  /** The name a user gave: a DNS-1123 label, so it can appear in labels and URLs. */
  public static String validName(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidClusterException("name", "must not be blank");
    }
    if (!DNS_LABEL.matcher(raw).matches()) {
      throw new InvalidClusterException(
          "name",
          "must be lower-case letters, digits and '-', start and end with a letter or digit, at"
              + " most 63 characters");
    }
    return raw;
  }

  public static Cluster registered(String name, ClusterProbe probe, Instant now) {
    return new Cluster(
        name, probe.server(), probe.version(), probe.simulated(), probe.nodeCount(), now, now);
  }

  public Cluster refreshed(ClusterProbe probe, Instant now) {
    return new Cluster(
        name,
        probe.server(),
        probe.version(),
        probe.simulated(),
        probe.nodeCount(),
        createdAt,
        now);
  }
}
