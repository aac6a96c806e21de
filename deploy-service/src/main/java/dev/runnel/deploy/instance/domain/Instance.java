package dev.runnel.deploy.instance.domain;

import dev.runnel.health.HealthStatus;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An installed app (a "service" in the console): one chart release in one namespace of one cluster,
 * owned by a team.
 *
 * @param userValues the values the user set, as YAML, kept apart from the chart's defaults so they
 *     carry over to the next version
 * @param revision the revision now deployed (0 before the first install completes)
 * @param stoppedReplicas replica counts remembered by stop, keyed {@code Kind/name}; empty when
 *     running
 */
public record Instance(
    UUID id,
    String team,
    String cluster,
    String namespace,
    String name,
    String repository,
    String chart,
    String version,
    InstanceState state,
    HealthStatus health,
    int revision,
    String userValues,
    Map<String, Integer> stoppedReplicas,
    Instant createdAt,
    Instant updatedAt) {

  public Instance {
    stoppedReplicas = stoppedReplicas == null ? Map.of() : Map.copyOf(stoppedReplicas);
    userValues = userValues == null ? "" : userValues;
  }

  public static Instance installing(
      UUID id,
      String team,
      String cluster,
      String namespace,
      String name,
      String repository,
      String chart,
      String version,
      String userValues,
      Instant now) {
    return new Instance(
        id,
        InstanceRules.team(team),
        cluster,
        InstanceRules.namespace(namespace),
        InstanceRules.name(name),
        InstanceRules.chartRef("repository", repository),
        InstanceRules.chartRef("chart", chart),
        InstanceRules.version(version),
        InstanceState.INSTALLING,
        HealthStatus.PROGRESSING,
        0,
        userValues,
        Map.of(),
        now,
        now);
  }

  public Instance with(InstanceState newState, HealthStatus newHealth, Instant now) {
    return new Instance(
        id,
        team,
        cluster,
        namespace,
        name,
        repository,
        chart,
        version,
        newState,
        newHealth,
        revision,
        userValues,
        stoppedReplicas,
        createdAt,
        now);
  }

  public Instance deployed(
      int newRevision, String newVersion, String newValues, HealthStatus newHealth, Instant now) {
    return new Instance(
        id,
        team,
        cluster,
        namespace,
        name,
        repository,
        chart,
        newVersion,
        state == InstanceState.STOPPED ? InstanceState.STOPPED : InstanceState.RUNNING,
        newHealth,
        newRevision,
        newValues,
        stoppedReplicas,
        createdAt,
        now);
  }

  public Instance stopped(Map<String, Integer> replicas, Instant now) {
    return new Instance(
        id,
        team,
        cluster,
        namespace,
        name,
        repository,
        chart,
        version,
        InstanceState.STOPPED,
        HealthStatus.SUSPENDED,
        revision,
        userValues,
        replicas,
        createdAt,
        now);
  }

  public Instance started(HealthStatus newHealth, Instant now) {
    return new Instance(
        id,
        team,
        cluster,
        namespace,
        name,
        repository,
        chart,
        version,
        InstanceState.RUNNING,
        newHealth,
        revision,
        userValues,
        Map.of(),
        createdAt,
        now);
  }
}
