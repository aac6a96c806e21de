package dev.runnel.deploy.observe.application;

import dev.runnel.deploy.observe.domain.KubeEvent;
import dev.runnel.deploy.observe.domain.PodContainers;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** What Kubernetes tells about a running instance: its pods' logs and its objects' Events. */
public interface InstanceObservation {
  /** The pods carrying the instance's label in its namespace, by name. */
  Mono<List<PodContainers>> pods(String cluster, String namespace, UUID instanceId);

  /**
   * The last {@code tailLines} lines of the container's log, each starting with the kubelet's RFC
   * 3339 timestamp and a space.
   */
  Mono<List<String>> tail(
      String cluster, String namespace, String pod, String container, int tailLines);

  /**
   * The last {@code tailLines} lines and then every new line as it is written (no timestamps);
   * completes when Kubernetes ends the stream (the container stopped or the pod went away).
   * Cancelling closes the connection to the API server.
   */
  Flux<String> follow(
      String cluster, String namespace, String pod, String container, int tailLines);

  /** Log streams to the API server open now (for the leak check and metrics). */
  int openLogStreams();

  /**
   * The Events in the namespace about the instance's objects: those named in {@code objects}
   * ({@code Kind/name}) and the Pods, ReplicaSets, Jobs and PersistentVolumeClaims that carry the
   * instance's label.
   */
  Mono<List<KubeEvent>> events(
      String cluster, String namespace, UUID instanceId, Set<String> objects);
}
