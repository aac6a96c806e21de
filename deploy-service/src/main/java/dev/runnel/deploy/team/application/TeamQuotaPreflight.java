package dev.runnel.deploy.team.application;

import dev.runnel.deploy.cluster.application.ManageClusters;
import dev.runnel.deploy.cluster.domain.Cluster;
import dev.runnel.deploy.instance.application.ChartRenderer;
import dev.runnel.deploy.instance.application.QuotaPreflight;
import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.instance.domain.ManifestObject;
import dev.runnel.deploy.instance.domain.Rendered;
import dev.runnel.deploy.team.domain.Quantities;
import dev.runnel.deploy.team.domain.QuotaCheck;
import dev.runnel.deploy.team.domain.ResourceUsage;
import dev.runnel.deploy.team.domain.Team;
import dev.runnel.kit.problem.Problem;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The team's quota in deploy's preflight: the instance count, and the CPU, memory and storage the
 * rendered objects request (containers without requests count the LimitRange default) against the
 * quota minus what the team's other instances' deployed revisions request. A team without a quota
 * (or one this service has not heard of) is not limited here.
 */
@Service
public class TeamQuotaPreflight implements QuotaPreflight {
  private final TeamProjection projection;
  private final TeamInstances instances;
  private final ChartRenderer renderer;
  private final ManageClusters clusters;
  private final BigDecimal defaultCpu;
  private final BigDecimal defaultMemory;

  public TeamQuotaPreflight(
      TeamProjection projection,
      TeamInstances instances,
      ChartRenderer renderer,
      ManageClusters clusters,
      TeamNamespaceProperties settings) {
    this.projection = projection;
    this.instances = instances;
    this.renderer = renderer;
    this.clusters = clusters;
    this.defaultCpu = Quantities.parse(settings.defaultCpuRequest());
    this.defaultMemory = Quantities.parse(settings.defaultMemoryRequest());
  }

  @Override
  public Mono<Void> refuseExcess(Instance instance, Rendered rendered, boolean adds) {
    return projection
        .find(instance.team())
        .filter(t -> !t.deleted() && t.quota().limitsAnything())
        .flatMap(team -> check(team, instance, rendered, adds));
  }

  private Mono<Void> check(Team team, Instance instance, Rendered rendered, boolean adds) {
    Mono<Map<String, Integer>> nodes =
        clusters.list().collectMap(Cluster::name, Cluster::nodeCount);
    return nodes.flatMap(
        nodeCounts ->
            instances
                .othersThan(team.name(), instance.id())
                .collectList()
                .flatMap(
                    others -> {
                      ResourceUsage used = ResourceUsage.ZERO;
                      for (TeamInstances.InstanceManifest other : others) {
                        if (!other.manifest().isBlank()) {
                          used =
                              used.plus(
                                  usage(
                                      renderer.parse(other.manifest(), "").objects(),
                                      nodeCounts.getOrDefault(other.cluster(), 1)));
                        }
                      }
                      ResourceUsage wanted =
                          usage(rendered.objects(), nodeCounts.getOrDefault(instance.cluster(), 1));
                      List<String> shortages =
                          QuotaCheck.shortages(team.quota(), others.size(), used, wanted, adds);
                      if (shortages.isEmpty()) {
                        return Mono.empty();
                      }
                      Problem p =
                          Problem.conflict(
                              "This would exceed the quota of team '"
                                  + team.name()
                                  + "': "
                                  + String.join("; ", shortages)
                                  + ". Lower the app's requests, remove an instance, or ask a"
                                  + " platform admin for a larger quota");
                      p.getBody().setProperty("shortages", shortages);
                      return Mono.error(p);
                    }));
  }

  private ResourceUsage usage(List<ManifestObject> objects, int nodes) {
    try {
      return ResourceUsage.of(
          objects.stream().map(ManifestObject::body).toList(), defaultCpu, defaultMemory, nodes);
    } catch (IllegalArgumentException e) {
      throw Problem.invalid(
          "values", "the chart requests an unreadable quantity: " + e.getMessage());
    }
  }
}
