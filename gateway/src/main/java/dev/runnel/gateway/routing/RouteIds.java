package dev.runnel.gateway.routing;

import java.util.Optional;

/**
 * Route ids name the service they lead to, because Spring Cloud Gateway names each route's circuit
 * breaker after its route: the id is how a breaker finds its service's time limit.
 */
public final class RouteIds {
  private static final String DOCS_SUFFIX = "-docs";
  private static final String CHARTS_SUFFIX = "-charts";

  private RouteIds() {}

  /** The route of a service's API, {@code /api/<service>/**}. */
  public static String api(String service) {
    return service;
  }

  /** The route of a service's OpenAPI document, {@code /api/<service>/v3/api-docs}. */
  public static String docs(String service) {
    return service + DOCS_SUFFIX;
  }

  /** The route of the Helm chart repository market serves, {@code /charts/**}. */
  public static String charts(String service) {
    return service + CHARTS_SUFFIX;
  }

  /**
   * The service a route id leads to, as {@link #api}, {@link #docs} and {@link #charts} made it.
   */
  public static Optional<String> serviceOf(String routeId) {
    String service = routeId;
    for (String suffix : new String[] {DOCS_SUFFIX, CHARTS_SUFFIX}) {
      if (routeId.endsWith(suffix)) {
        service = routeId.substring(0, routeId.length() - suffix.length());
      }
    }
    return service.isEmpty() ? Optional.empty() : Optional.of(service);
  }
}
