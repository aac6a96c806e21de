package dev.runnel.deploy.cluster.domain;

import java.util.List;
import java.util.Map;

/**
 * One node as users see it: resources (capacity, what pods may use, what they use now) and
 * conditions.
 *
 * @param usage from metrics.k8s.io; empty when the cluster has no metrics API
 */
public record NodeInfo(
    String name,
    List<String> roles,
    boolean ready,
    boolean schedulable,
    boolean simulated,
    String kubeletVersion,
    String internalIp,
    Map<String, String> capacity,
    Map<String, String> allocatable,
    Map<String, String> usage,
    List<Condition> conditions) {

  public record Condition(String type, String status, String reason, String message) {}
}
