package dev.runnel.deploy.route.adapter.out.kube;

import dev.runnel.deploy.kube.KubeClients;
import dev.runnel.deploy.route.application.DomainCluster;
import dev.runnel.deploy.route.domain.RouteObjects;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Custom domains on Kubernetes through fabric8: server-side apply as field manager {@code runnel},
 * lookups for the checks, deletion by the domain's labels. Every call goes through {@link
 * KubeClients} (bulkhead, time limit, off the event loop).
 */
@Component
class DomainsKube implements DomainCluster {
  static final String FIELD_MANAGER = "runnel";
  private static final String INGRESS_API = "networking.k8s.io/v1";

  private final KubeClients clients;

  DomainsKube(KubeClients clients) {
    this.clients = clients;
  }

  @Override
  public Mono<ServiceLookup> service(
      String cluster, String namespace, String name, UUID instanceId) {
    return clients.call(
        cluster,
        client -> {
          Service s = client.services().inNamespace(namespace).withName(name).get();
          if (s == null) {
            return new ServiceLookup(false, false, List.of());
          }
          Map<String, String> labels = s.getMetadata().getLabels();
          boolean ours =
              labels != null && instanceId.toString().equals(labels.get(RouteObjects.INSTANCE));
          List<ServicePort> ports = new ArrayList<>();
          if (s.getSpec() != null && s.getSpec().getPorts() != null) {
            s.getSpec()
                .getPorts()
                .forEach(p -> ports.add(new ServicePort(p.getName(), p.getPort())));
          }
          return new ServiceLookup(true, ours, List.copyOf(ports));
        });
  }

  @Override
  public Mono<Boolean> secretExists(String cluster, String namespace, String name) {
    return clients.call(
        cluster, client -> client.secrets().inNamespace(namespace).withName(name).get() != null);
  }

  @Override
  public Mono<List<HostUser>> ingressesFor(String cluster, String host) {
    return clients.call(
        cluster,
        client -> {
          List<HostUser> users = new ArrayList<>();
          for (Ingress i : client.network().v1().ingresses().inAnyNamespace().list().getItems()) {
            List<IngressRule> rules = i.getSpec() == null ? null : i.getSpec().getRules();
            if (rules == null || rules.stream().noneMatch(r -> host.equals(r.getHost()))) {
              continue;
            }
            Map<String, String> labels = i.getMetadata().getLabels();
            users.add(
                new HostUser(
                    i.getMetadata().getNamespace(),
                    i.getMetadata().getName(),
                    labels == null ? null : labels.get(RouteObjects.INSTANCE)));
          }
          return List.copyOf(users);
        });
  }

  @Override
  public Mono<Boolean> middlewareCrd(String cluster) {
    return clients.call(cluster, DomainsKube::servesMiddleware);
  }

  private static boolean servesMiddleware(KubernetesClient client) {
    try {
      APIResourceList list = client.getApiResources(RouteObjects.MIDDLEWARE_API);
      return list != null
          && list.getResources() != null
          && list.getResources().stream().anyMatch(r -> "Middleware".equals(r.getKind()));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public Mono<Void> apply(String cluster, String namespace, List<Map<String, Object>> objects) {
    return clients
        .call(
            cluster,
            client -> {
              for (Map<String, Object> o : objects) {
                GenericKubernetesResource r =
                    client
                        .getKubernetesSerialization()
                        .convertValue(o, GenericKubernetesResource.class);
                client.resource(r).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
              }
              return true;
            })
        .then();
  }

  @Override
  public Mono<Void> prune(
      String cluster, String namespace, UUID instanceId, String domainKey, Set<String> keep) {
    return clients
        .call(
            cluster,
            client -> {
              for (String[] kind : kinds(client)) {
                if (kind[1].equals("Ingress")) {
                  continue;
                }
                for (GenericKubernetesResource r :
                    labelled(client, kind, namespace, instanceId, domainKey)) {
                  String ref = kind[0] + "|" + kind[1] + "|" + r.getMetadata().getName();
                  if (!keep.contains(ref)) {
                    client
                        .genericKubernetesResources(kind[0], kind[1])
                        .inNamespace(namespace)
                        .withName(r.getMetadata().getName())
                        .delete();
                  }
                }
              }
              return true;
            })
        .then();
  }

  @Override
  public Mono<Integer> delete(String cluster, String namespace, UUID instanceId, String domainKey) {
    return clients.call(
        cluster,
        client -> {
          int deleted = 0;
          for (String[] kind : kinds(client)) {
            for (GenericKubernetesResource r :
                labelled(client, kind, namespace, instanceId, domainKey)) {
              client
                  .genericKubernetesResources(kind[0], kind[1])
                  .inNamespace(namespace)
                  .withName(r.getMetadata().getName())
                  .delete();
              deleted++;
            }
          }
          return deleted;
        });
  }

  @Override
  public Mono<Map<String, List<String>>> addresses(
      String cluster, String namespace, UUID instanceId) {
    return clients.call(
        cluster,
        client -> {
          Map<String, List<String>> found = new HashMap<>();
          for (Ingress i :
              client
                  .network()
                  .v1()
                  .ingresses()
                  .inNamespace(namespace)
                  .withLabel(RouteObjects.INSTANCE, instanceId.toString())
                  .withLabel(RouteObjects.DOMAIN_LABEL)
                  .list()
                  .getItems()) {
            List<String> addresses = new ArrayList<>();
            if (i.getStatus() != null
                && i.getStatus().getLoadBalancer() != null
                && i.getStatus().getLoadBalancer().getIngress() != null) {
              for (IngressLoadBalancerIngress lb : i.getStatus().getLoadBalancer().getIngress()) {
                if (lb.getIp() != null) {
                  addresses.add(lb.getIp());
                } else if (lb.getHostname() != null) {
                  addresses.add(lb.getHostname());
                }
              }
            }
            found.put(i.getMetadata().getLabels().get(RouteObjects.DOMAIN_LABEL), addresses);
          }
          return found;
        });
  }

  /** The kinds a domain is made of; Middlewares only where the CRD is served. */
  private static List<String[]> kinds(KubernetesClient client) {
    List<String[]> kinds = new ArrayList<>();
    kinds.add(new String[] {INGRESS_API, "Ingress"});
    kinds.add(new String[] {"v1", "Secret"});
    if (servesMiddleware(client)) {
      kinds.add(new String[] {RouteObjects.MIDDLEWARE_API, "Middleware"});
    }
    return kinds;
  }

  private static List<GenericKubernetesResource> labelled(
      KubernetesClient client, String[] kind, String namespace, UUID instanceId, String domainKey) {
    var op =
        client
            .genericKubernetesResources(kind[0], kind[1])
            .inNamespace(namespace)
            .withLabel(RouteObjects.INSTANCE, instanceId.toString());
    var selected =
        domainKey == null
            ? op.withLabel(RouteObjects.DOMAIN_LABEL)
            : op.withLabel(RouteObjects.DOMAIN_LABEL, domainKey);
    return selected.list().getItems();
  }
}
