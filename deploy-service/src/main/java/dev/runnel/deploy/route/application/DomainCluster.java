package dev.runnel.deploy.route.application;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** The Kubernetes side of custom domains. */
public interface DomainCluster {
  /** A port of a Service: its name (may be null) and number. */
  record ServicePort(String name, int port) {}

  /**
   * A Service as the domain check needs it; {@code found} false when there is none by that name.
   */
  record ServiceLookup(boolean found, boolean ofInstance, List<ServicePort> ports) {}

  /** An Ingress somewhere on the cluster routing the host; {@code instance} its Runnel label. */
  record HostUser(String namespace, String name, String instance) {}

  Mono<ServiceLookup> service(String cluster, String namespace, String name, UUID instanceId);

  Mono<Boolean> secretExists(String cluster, String namespace, String name);

  /** Every Ingress on the cluster (all namespaces) with a rule for exactly this host. */
  Mono<List<HostUser>> ingressesFor(String cluster, String host);

  /** Whether Traefik's {@code Middleware} (traefik.io/v1alpha1) is served (discovery). */
  Mono<Boolean> middlewareCrd(String cluster);

  /** Server-side apply, field manager {@code runnel}, in order. */
  Mono<Void> apply(String cluster, String namespace, List<Map<String, Object>> objects);

  /**
   * Deletes the domain's Secrets and Middlewares whose {@code apiVersion|kind|name} is not in
   * {@code keep}.
   */
  Mono<Void> prune(
      String cluster, String namespace, UUID instanceId, String domainKey, Set<String> keep);

  /** Deletes the domain's objects; {@code domainKey} null: every domain's of the instance. */
  Mono<Integer> delete(String cluster, String namespace, UUID instanceId, String domainKey);

  /** Domain key to the addresses its Ingress's status shows now (empty list: none yet). */
  Mono<Map<String, List<String>>> addresses(String cluster, String namespace, UUID instanceId);
}
