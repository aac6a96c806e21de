package dev.runnel.deploy.cluster.adapter.out.kube;

import dev.runnel.deploy.cluster.application.ClusterGateway;
import dev.runnel.deploy.cluster.domain.ClusterProbe;
import dev.runnel.deploy.cluster.domain.InvalidClusterException;
import dev.runnel.deploy.cluster.domain.NodeInfo;
import dev.runnel.deploy.config.DeployProperties;
import dev.runnel.deploy.kube.KubeClients;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

@Component
class ClusterGatewayFabric8 implements ClusterGateway {
  static final String SIMULATED_LABEL = "runnel.dev/simulated";
  private final KubeClients clients;
  private final DeployProperties.Kube settings;

  ClusterGatewayFabric8(KubeClients clients, DeployProperties properties) {
    this.clients = clients;
    this.settings = properties.kube();
  }

  @Override
  public Mono<ClusterProbe> probe(String kubeconfig) {
    return Mono.fromCallable(
            () -> {
              KubernetesClient client;
              try {
                client = KubeClients.open(kubeconfig, settings);
              } catch (RuntimeException e) {
                // fabric8 reports unreadable kubeconfigs with several exception types.
                if (e instanceof InvalidClusterException) {
                  throw e;
                }
                // The parser's message may quote the input, which holds credentials: not echoed.
                throw new InvalidClusterException(
                    "kubeconfig",
                    "cannot be read as a kubeconfig (YAML with clusters, users, contexts and a"
                        + " current-context)");
              }
              try (client) {
                String server = client.getMasterUrl().toString();
                VersionInfo version;
                List<Node> nodes;
                try {
                  version = client.getKubernetesVersion();
                  nodes = client.nodes().list().getItems();
                } catch (RuntimeException e) {
                  throw new InvalidClusterException(
                      "kubeconfig",
                      "names cluster "
                          + server
                          + ", which Runnel cannot reach: "
                          + KubeClients.describe(server, e).getBody().getDetail());
                }
                boolean simulated =
                    "simulated".equals(version.getGitTreeState())
                        || nodes.stream()
                            .anyMatch(
                                n ->
                                    "true"
                                        .equals(
                                            n.getMetadata().getLabels() == null
                                                ? null
                                                : n.getMetadata()
                                                    .getLabels()
                                                    .get(SIMULATED_LABEL)));
                return new ClusterProbe(server, version.getGitVersion(), simulated, nodes.size());
              }
            })
        .subscribeOn(Schedulers.boundedElastic())
        .timeout(settings.callTimeout().plus(Duration.ofSeconds(5)));
  }

  @Override
  public Flux<NodeInfo> nodes(String cluster) {
    return clients
        .call(
            cluster,
            client -> {
              List<Node> nodes = client.nodes().list().getItems();
              Map<String, NodeMetrics> usage = new TreeMap<>();
              try {
                client
                    .top()
                    .nodes()
                    .metrics()
                    .getItems()
                    .forEach(m -> usage.put(m.getMetadata().getName(), m));
              } catch (KubernetesClientException e) {
                // No metrics API (metrics-server absent): usage stays empty, as the API says.
                usage.clear();
              }
              List<NodeInfo> result = new ArrayList<>();
              for (Node n : nodes) {
                result.add(toInfo(n, usage.get(n.getMetadata().getName())));
              }
              return result;
            })
        .flatMapMany(Flux::fromIterable);
  }

  @Override
  public void forget(String cluster) {
    clients.forget(cluster);
  }

  private static NodeInfo toInfo(Node n, NodeMetrics metrics) {
    Map<String, String> labels =
        n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
    List<String> roles =
        labels.keySet().stream()
            .filter(k -> k.startsWith("node-role.kubernetes.io/"))
            .map(k -> k.substring("node-role.kubernetes.io/".length()))
            .sorted()
            .toList();
    List<NodeInfo.Condition> conditions =
        n.getStatus() == null || n.getStatus().getConditions() == null
            ? List.of()
            : n.getStatus().getConditions().stream()
                .map(
                    c ->
                        new NodeInfo.Condition(
                            c.getType(), c.getStatus(), c.getReason(), c.getMessage()))
                .toList();
    boolean ready =
        conditions.stream().anyMatch(c -> "Ready".equals(c.type()) && "True".equals(c.status()));
    boolean schedulable =
        !Boolean.TRUE.equals(n.getSpec() == null ? null : n.getSpec().getUnschedulable());
    String ip =
        n.getStatus() == null || n.getStatus().getAddresses() == null
            ? null
            : n.getStatus().getAddresses().stream()
                .filter(a -> "InternalIP".equals(a.getType()))
                .map(NodeAddress::getAddress)
                .findFirst()
                .orElse(null);
    return new NodeInfo(
        n.getMetadata().getName(),
        roles,
        ready,
        schedulable,
        "true".equals(labels.get(SIMULATED_LABEL)),
        n.getStatus() == null || n.getStatus().getNodeInfo() == null
            ? null
            : n.getStatus().getNodeInfo().getKubeletVersion(),
        ip,
        quantities(n.getStatus() == null ? null : n.getStatus().getCapacity()),
        quantities(n.getStatus() == null ? null : n.getStatus().getAllocatable()),
        metrics == null ? Map.of() : quantities(metrics.getUsage()),
        conditions);
  }

  private static Map<String, String> quantities(Map<String, Quantity> raw) {
    if (raw == null) {
      return Map.of();
    }
    return raw.entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().toString(), (a, b) -> a, TreeMap::new));
  }
}
