package dev.runnel.deploy.route.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A custom domain of an instance: the host, the Service and port of the instance it leads to, its
 * certificate, the ingress class and the access rules. A host is held by at most one domain per
 * cluster.
 *
 * @param rendering how the access rules were last rendered on the cluster
 */
public record Domain(
    UUID instanceId,
    String cluster,
    String namespace,
    String host,
    String service,
    String port,
    Tls tls,
    String ingressClass,
    AccessRules access,
    Rendering rendering,
    Instant createdAt,
    Instant updatedAt) {

  public Domain withAccess(AccessRules rules, Rendering how, Instant now) {
    return new Domain(
        instanceId,
        cluster,
        namespace,
        host,
        service,
        port,
        tls,
        ingressClass,
        rules,
        how,
        createdAt,
        now);
  }
}
