package dev.runnel.health;

/** Services, Ingresses, PersistentVolumeClaims and APIServices. */
final class ServiceChecks {
  private ServiceChecks() {}

  /** Only a LoadBalancer waits for something: the address its load balancer is given. */
  static Health service(KubeObject service) {
    if ("LoadBalancer".equals(service.string("spec", "type"))
        && service.list("status", "loadBalancer", "ingress").isEmpty()) {
      return new Health(
          HealthStatus.PROGRESSING, "Waiting for the load balancer to get an address");
    }
    return new Health(HealthStatus.HEALTHY, "");
  }

  /**
   * Healthy once the ingress controller has published at least one entry (even an empty one, as
   * some controllers do), as gitops-engine decides.
   */
  static Health ingress(KubeObject ingress) {
    if (ingress.list("status", "loadBalancer", "ingress").isEmpty()) {
      return new Health(
          HealthStatus.PROGRESSING, "Waiting for the ingress controller to publish an address");
    }
    return new Health(HealthStatus.HEALTHY, "");
  }

  static Health persistentVolumeClaim(KubeObject claim) {
    return switch (claim.string("status", "phase")) {
      case "Bound" -> new Health(HealthStatus.HEALTHY, "");
      case "Pending" -> new Health(HealthStatus.PROGRESSING, "Waiting for a volume to be bound");
      case "Lost" -> new Health(HealthStatus.DEGRADED, "The bound volume is lost");
      default -> new Health(HealthStatus.UNKNOWN, "");
    };
  }

  static Health apiService(KubeObject apiService) {
    KubeObject available = apiService.condition("Available");
    if (available == null) {
      return new Health(HealthStatus.PROGRESSING, "Waiting to be processed");
    }
    String message = available.string("reason") + ": " + available.string("message");
    return "True".equals(available.string("status"))
        ? new Health(HealthStatus.HEALTHY, message)
        : new Health(HealthStatus.PROGRESSING, message);
  }
}
