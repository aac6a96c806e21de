package dev.runnel.sandbox.controllers;

import dev.runnel.sandbox.nodes.SimulatedNodes;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatusBuilder;
import java.util.List;
import java.util.Objects;

/**
 * What K3s's ServiceLB (klipper-lb) and Traefik publish: LoadBalancer Services and Ingresses get
 * the InternalIPs of the ready nodes as their {@code status.loadBalancer.ingress}.
 */
final class AddressPublisher implements Controller {

  private static final String COMPONENT = "service-lb-controller";

  @Override
  public void reconcile(Reconcile pass) {
    List<String> ips =
        pass.nodes().stream()
            .filter(SimulatedNodes::isReady)
            .map(SimulatedNodes::internalIp)
            .filter(Objects::nonNull)
            .sorted()
            .toList();
    List<LoadBalancerIngress> serviceIngress =
        ips.stream()
            .map(ip -> new LoadBalancerIngressBuilder().withIp(ip).withIpMode("VIP").build())
            .toList();
    for (Service service : pass.list("/api/v1/services", Service.class)) {
      if (!"LoadBalancer".equals(service.getSpec().getType())) {
        continue;
      }
      List<LoadBalancerIngress> current =
          service.getStatus() == null || service.getStatus().getLoadBalancer() == null
              ? List.of()
              : service.getStatus().getLoadBalancer().getIngress();
      if (!serviceIngress.equals(current)) {
        boolean first = current == null || current.isEmpty();
        service.setStatus(
            new ServiceStatusBuilder()
                .withNewLoadBalancer()
                .withIngress(serviceIngress)
                .endLoadBalancer()
                .build());
        pass.client()
            .services()
            .inNamespace(service.getMetadata().getNamespace())
            .resource(service)
            .updateStatus();
        if (first) {
          pass.events().normal(service, COMPONENT, "EnsuredLoadBalancer", "Ensured load balancer");
        }
      }
    }
    List<IngressLoadBalancerIngress> ingressAddresses =
        ips.stream().map(ip -> new IngressLoadBalancerIngressBuilder().withIp(ip).build()).toList();
    for (Ingress ingress : pass.list("/apis/networking.k8s.io/v1/ingresses", Ingress.class)) {
      List<IngressLoadBalancerIngress> current =
          ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null
              ? List.of()
              : ingress.getStatus().getLoadBalancer().getIngress();
      if (!ingressAddresses.equals(current)) {
        ingress.setStatus(
            new IngressStatusBuilder()
                .withLoadBalancer(
                    new IngressLoadBalancerStatusBuilder().withIngress(ingressAddresses).build())
                .build());
        pass.client()
            .network()
            .v1()
            .ingresses()
            .inNamespace(ingress.getMetadata().getNamespace())
            .resource(ingress)
            .updateStatus();
      }
    }
  }
}
