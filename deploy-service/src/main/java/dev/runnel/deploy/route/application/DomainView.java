package dev.runnel.deploy.route.application;

import dev.runnel.deploy.route.domain.Domain;
import java.util.List;

/**
 * A domain with what the cluster says about it now.
 *
 * @param status {@code ready} (the Ingress has an address), {@code pending} (not yet), {@code
 *     missing} (no Ingress on the cluster), {@code unknown} (the cluster did not answer)
 */
public record DomainView(Domain domain, String status, List<String> addresses) {}
