package dev.runnel.sandbox.controllers;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The endpoints controller: each Service with a selector gets an Endpoints object listing the IPs
 * of its matching pods, ready ones under {@code addresses} and the others under {@code
 * notReadyAddresses}. EndpointSlices are not simulated.
 */
final class EndpointsController implements Controller {

  private static final String TRIGGER = "endpoints.kubernetes.io/last-change-trigger-time";

  @Override
  public void reconcile(Reconcile pass) {
    Map<String, Endpoints> existing = new HashMap<>();
    for (Endpoints endpoints : pass.list("/api/v1/endpoints", Endpoints.class)) {
      existing.put(key(endpoints), endpoints);
    }
    Set<String> services = new HashSet<>();
    for (Service service : pass.list("/api/v1/services", Service.class)) {
      services.add(key(service));
      Map<String, String> selector = service.getSpec().getSelector();
      if (selector != null && !selector.isEmpty()) {
        sync(pass, service, selector, existing.get(key(service)));
      }
    }
    for (Endpoints endpoints : existing.values()) {
      String key = key(endpoints);
      boolean managed =
          endpoints.getMetadata().getAnnotations() != null
              && endpoints.getMetadata().getAnnotations().containsKey(TRIGGER);
      if (managed && !services.contains(key)) {
        pass.client()
            .endpoints()
            .inNamespace(endpoints.getMetadata().getNamespace())
            .withName(endpoints.getMetadata().getName())
            .delete();
      }
    }
  }

  private static String key(HasMetadata object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  private void sync(
      Reconcile pass, Service service, Map<String, String> selector, Endpoints current) {
    String namespace = service.getMetadata().getNamespace();
    List<Pod> pods =
        pass.pods().stream()
            .filter(p -> namespace.equals(p.getMetadata().getNamespace()))
            .filter(Pods::isActive)
            .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null)
            .filter(p -> matches(selector, p.getMetadata().getLabels()))
            .sorted(Comparator.comparing(p -> p.getStatus().getPodIP()))
            .toList();
    List<EndpointAddress> ready = new ArrayList<>();
    List<EndpointAddress> notReady = new ArrayList<>();
    for (Pod pod : pods) {
      EndpointAddress address =
          new EndpointAddressBuilder()
              .withIp(pod.getStatus().getPodIP())
              .withNodeName(pod.getSpec().getNodeName())
              .withNewTargetRef()
              .withKind("Pod")
              .withName(pod.getMetadata().getName())
              .withNamespace(namespace)
              .withUid(pod.getMetadata().getUid())
              .endTargetRef()
              .build();
      (Pods.isReady(pod) ? ready : notReady).add(address);
    }
    List<EndpointSubset> subsets = new ArrayList<>();
    if (!pods.isEmpty()) {
      subsets.add(
          new EndpointSubsetBuilder()
              .withAddresses(ready)
              .withNotReadyAddresses(notReady)
              .withPorts(ports(service, pods.get(0)))
              .build());
    }
    if (current != null && subsets.equals(current.getSubsets())) {
      return;
    }
    Endpoints desired =
        new EndpointsBuilder()
            .withNewMetadata()
            .withName(service.getMetadata().getName())
            .withNamespace(namespace)
            .withLabels(service.getMetadata().getLabels())
            .addToAnnotations(TRIGGER, pass.timestamp())
            .endMetadata()
            .withSubsets(subsets)
            .build();
    if (current == null) {
      pass.client().endpoints().inNamespace(namespace).resource(desired).create();
    } else {
      current.setSubsets(subsets);
      current.getMetadata().setAnnotations(desired.getMetadata().getAnnotations());
      pass.client().endpoints().inNamespace(namespace).resource(current).update();
    }
  }

  /** Named target ports resolve against the first pod's container ports, as kube-proxy does. */
  private static List<EndpointPort> ports(Service service, Pod pod) {
    List<EndpointPort> ports = new ArrayList<>();
    if (service.getSpec().getPorts() == null) {
      return ports;
    }
    for (ServicePort port : service.getSpec().getPorts()) {
      ports.add(
          new EndpointPortBuilder()
              .withName(port.getName())
              .withPort(targetPort(port, pod))
              .withProtocol(port.getProtocol() == null ? "TCP" : port.getProtocol())
              .build());
    }
    return ports;
  }

  private static int targetPort(ServicePort port, Pod pod) {
    IntOrString target = port.getTargetPort();
    if (target == null) {
      return port.getPort();
    }
    if (target.getIntVal() != null) {
      return target.getIntVal();
    }
    return pod.getSpec().getContainers().stream()
        .flatMap(
            c ->
                c.getPorts() == null
                    ? java.util.stream.Stream.<ContainerPort>empty()
                    : c.getPorts().stream())
        .filter(p -> target.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElse(port.getPort());
  }

  private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    if (labels == null) {
      return false;
    }
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
