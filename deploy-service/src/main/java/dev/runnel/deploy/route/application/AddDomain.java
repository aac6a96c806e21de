package dev.runnel.deploy.route.application;

/**
 * A new custom domain as the caller asked for it, not yet checked.
 *
 * @param port a number or a port name
 * @param tlsSecretName an existing TLS Secret of the instance's namespace, or null
 * @param tlsIssuer a cert-manager issuer name, or null (not both)
 * @param tlsIssuerKind {@code ClusterIssuer} (default) or {@code Issuer}
 * @param ingressClass null for the configured default
 */
public record AddDomain(
    String host,
    String service,
    Object port,
    String tlsSecretName,
    String tlsIssuer,
    String tlsIssuerKind,
    String ingressClass) {}
