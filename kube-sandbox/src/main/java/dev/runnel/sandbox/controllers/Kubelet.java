package dev.runnel.sandbox.controllers;

import dev.runnel.sandbox.SimulatedClock;
import dev.runnel.sandbox.faults.Fault;
import dev.runnel.sandbox.nodes.SimulatedNodes;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the kubelets of the simulated nodes do to the pods bound to them: after the pod-ready delay
 * containers start and the pod turns Running and Ready; run-to-completion pods (restart policy
 * other than Always) then succeed. Faults change the path: image pulls fail into ImagePullBackOff,
 * containers crash into CrashLoopBackOff with a growing restart count, or readiness never passes.
 * Pods on a node that is not ready turn unready.
 *
 * <p>Each pod's stage is remembered so that status is written once per transition, not on every
 * pass.
 */
final class Kubelet implements Controller {

  private static final String COMPONENT = "kubelet";
  private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final Map<String, Instant> boundAt = new ConcurrentHashMap<>();
  private final Map<String, String> stages = new ConcurrentHashMap<>();
  private final Map<String, Integer> podIps = new ConcurrentHashMap<>();

  @Override
  public void reconcile(Reconcile pass) {
    // Forget pods that no longer exist, so the maps do not grow without bound.
    Set<String> live =
        pass.pods().stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    boundAt.keySet().retainAll(live);
    stages.keySet().retainAll(live);
    Map<String, Node> nodes =
        pass.nodes().stream()
            .collect(Collectors.toMap(n -> n.getMetadata().getName(), Function.identity()));
    for (Pod pod : pass.pods()) {
      String nodeName = pod.getSpec().getNodeName();
      if (nodeName == null
          || Pods.isTerminal(pod)
          || pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      Node node = nodes.get(nodeName);
      if (node != null) {
        step(pass, pod, node);
      }
    }
  }

  private void step(Reconcile pass, Pod pod, Node node) {
    String uid = pod.getMetadata().getUid();
    Instant bound = boundAt.computeIfAbsent(uid, u -> pass.now());
    Instant startAt = bound.plus(pass.podReadyDelay());
    if (!SimulatedNodes.isReady(node)) {
      if (Pods.isReady(pod)) {
        Pods.setCondition(
            pod, "Ready", "False", "NodeNotReady", "Node is not ready", pass.timestamp());
        write(pass, pod, "node-not-ready");
      }
      return;
    }
    if (pass.now().isBefore(startAt)) {
      if (!stages.containsKey(uid)) {
        creating(pass, pod, node, bound);
      }
      pass.requeueAt(startAt);
      return;
    }
    Duration backoff = max(pass.podReadyDelay(), MIN_BACKOFF);
    Optional<Fault> fault = pass.faults().faultFor(pod);
    if (fault.isPresent() && fault.get() == Fault.IMAGE_PULL_FAILURE) {
      pullFailure(pass, pod, node, startAt, backoff);
    } else if (fault.isPresent() && fault.get() == Fault.CRASH_LOOP) {
      crashLoop(pass, pod, node, startAt, backoff);
    } else {
      boolean ready = fault.isEmpty();
      boolean completes = !"Always".equals(pod.getSpec().getRestartPolicy());
      if (completes && ready) {
        Instant doneAt = startAt.plus(pass.podReadyDelay());
        if (!pass.now().isBefore(doneAt)) {
          finish(pass, pod, node, startAt, doneAt, 0);
          return;
        }
        pass.requeueAt(doneAt);
      }
      running(pass, pod, node, startAt, ready);
    }
  }

  private void creating(Reconcile pass, Pod pod, Node node, Instant bound) {
    PodStatus status = base(pod, node, bound);
    status.setPhase("Pending");
    status.setContainerStatuses(statuses(pod, c -> waiting("ContainerCreating", null), false, 0));
    Pods.setCondition(pod, "PodReadyToStartContainers", "False", null, null, pass.timestamp());
    Pods.setCondition(pod, "Initialized", "True", null, null, pass.timestamp());
    notReady(pod, pass);
    write(pass, pod, "creating");
  }

  private void running(Reconcile pass, Pod pod, Node node, Instant startAt, boolean ready) {
    String stage = ready ? "running" : "running-unready";
    if (stage.equals(stages.get(pod.getMetadata().getUid()))) {
      return;
    }
    PodStatus status = base(pod, node, startAt);
    status.setPhase("Running");
    String started = SimulatedClock.format(startAt);
    status.setContainerStatuses(
        statuses(
            pod,
            c ->
                new ContainerStateBuilder()
                    .withNewRunning()
                    .withStartedAt(started)
                    .endRunning()
                    .build(),
            ready,
            0));
    assignIp(pod, node);
    Pods.setCondition(pod, "PodReadyToStartContainers", "True", null, null, pass.timestamp());
    Pods.setCondition(pod, "Initialized", "True", null, null, pass.timestamp());
    if (ready) {
      Pods.setCondition(pod, "ContainersReady", "True", null, null, pass.timestamp());
      Pods.setCondition(pod, "Ready", "True", null, null, pass.timestamp());
    } else {
      notReady(pod, pass);
    }
    write(pass, pod, stage);
    for (Container c : pod.getSpec().getContainers()) {
      pass.events()
          .normal(
              pod,
              COMPONENT,
              "Pulled",
              "Container image \"" + c.getImage() + "\" already present on machine");
      pass.events().normal(pod, COMPONENT, "Created", "Created container " + c.getName());
      pass.events().normal(pod, COMPONENT, "Started", "Started container " + c.getName());
    }
    if (!ready) {
      pass.events()
          .warning(
              pod, COMPONENT, "Unhealthy", "Readiness probe failed: simulated fault (never ready)");
    }
  }

  private void finish(
      Reconcile pass, Pod pod, Node node, Instant startAt, Instant doneAt, int exitCode) {
    PodStatus status = base(pod, node, startAt);
    status.setPhase(exitCode == 0 ? "Succeeded" : "Failed");
    String started = SimulatedClock.format(startAt);
    String finished = SimulatedClock.format(doneAt);
    status.setContainerStatuses(
        statuses(
            pod,
            c ->
                new ContainerStateBuilder()
                    .withNewTerminated()
                    .withExitCode(exitCode)
                    .withReason(exitCode == 0 ? "Completed" : "Error")
                    .withStartedAt(started)
                    .withFinishedAt(finished)
                    .endTerminated()
                    .build(),
            false,
            0));
    assignIp(pod, node);
    Pods.setCondition(pod, "PodReadyToStartContainers", "False", null, null, pass.timestamp());
    Pods.setCondition(pod, "ContainersReady", "False", "PodCompleted", null, pass.timestamp());
    Pods.setCondition(pod, "Ready", "False", "PodCompleted", null, pass.timestamp());
    write(pass, pod, exitCode == 0 ? "succeeded" : "failed");
  }

  private void pullFailure(Reconcile pass, Pod pod, Node node, Instant startAt, Duration backoff) {
    boolean backingOff = !pass.now().isBefore(startAt.plus(backoff));
    String stage = backingOff ? "image-pull-backoff" : "err-image-pull";
    if (!backingOff) {
      pass.requeueAt(startAt.plus(backoff));
    }
    if (stage.equals(stages.get(pod.getMetadata().getUid()))) {
      return;
    }
    String reason = backingOff ? "ImagePullBackOff" : "ErrImagePull";
    PodStatus status = base(pod, node, startAt);
    status.setPhase("Pending");
    status.setContainerStatuses(
        statuses(
            pod,
            c ->
                waiting(
                    reason,
                    backingOff
                        ? "Back-off pulling image \"" + c.getImage() + "\""
                        : "failed to pull and unpack image \""
                            + c.getImage()
                            + "\": simulated fault (image pull failure)"),
            false,
            0));
    notReady(pod, pass);
    write(pass, pod, stage);
    String image = pod.getSpec().getContainers().get(0).getImage();
    if (backingOff) {
      pass.events().normal(pod, COMPONENT, "BackOff", "Back-off pulling image \"" + image + "\"");
      pass.events().warning(pod, COMPONENT, "Failed", "Error: ImagePullBackOff");
    } else {
      pass.events().normal(pod, COMPONENT, "Pulling", "Pulling image \"" + image + "\"");
      pass.events()
          .warning(
              pod,
              COMPONENT,
              "Failed",
              "Failed to pull image \"" + image + "\": simulated fault (image pull failure)");
      pass.events().warning(pod, COMPONENT, "Failed", "Error: ErrImagePull");
    }
  }

  /** Restart i happens after 1, 2, 4, ... back-off periods, capped at five minutes each. */
  private void crashLoop(Reconcile pass, Pod pod, Node node, Instant startAt, Duration backoff) {
    if (!"Always".equals(pod.getSpec().getRestartPolicy())
        && !"OnFailure".equals(pod.getSpec().getRestartPolicy())) {
      finish(pass, pod, node, startAt, startAt, 1);
      return;
    }
    int restarts = 0;
    Instant next = startAt.plus(backoff);
    Duration step = backoff;
    while (!pass.now().isBefore(next) && restarts < 10_000) {
      restarts++;
      step = min(step.multipliedBy(2), MAX_BACKOFF);
      next = next.plus(step);
    }
    pass.requeueAt(next);
    String stage = "crash-" + restarts;
    if (stage.equals(stages.get(pod.getMetadata().getUid()))) {
      return;
    }
    PodStatus status = base(pod, node, startAt);
    status.setPhase("Running");
    String finished = pass.timestamp();
    int count = restarts;
    List<ContainerStatus> statuses =
        statuses(
            pod,
            c ->
                waiting(
                    "CrashLoopBackOff",
                    "back-off restarting failed container "
                        + c.getName()
                        + " in pod "
                        + pod.getMetadata().getName()),
            false,
            count);
    for (ContainerStatus s : statuses) {
      s.setLastState(
          new ContainerStateBuilder()
              .withNewTerminated()
              .withExitCode(1)
              .withReason("Error")
              .withStartedAt(SimulatedClock.format(startAt))
              .withFinishedAt(finished)
              .endTerminated()
              .build());
    }
    status.setContainerStatuses(statuses);
    assignIp(pod, node);
    notReady(pod, pass);
    write(pass, pod, stage);
    pass.events()
        .warning(
            pod,
            COMPONENT,
            "BackOff",
            "Back-off restarting failed container "
                + pod.getSpec().getContainers().get(0).getName()
                + " in pod "
                + pod.getMetadata().getName());
  }

  private static void notReady(Pod pod, Reconcile pass) {
    String names =
        pod.getSpec().getContainers().stream()
            .map(Container::getName)
            .collect(Collectors.joining(" "));
    String message = "containers with unready status: [" + names + "]";
    Pods.setCondition(
        pod, "ContainersReady", "False", "ContainersNotReady", message, pass.timestamp());
    Pods.setCondition(pod, "Ready", "False", "ContainersNotReady", message, pass.timestamp());
  }

  private static PodStatus base(Pod pod, Node node, Instant startTime) {
    if (pod.getStatus() == null) {
      pod.setStatus(new PodStatus());
    }
    PodStatus status = pod.getStatus();
    status.setHostIP(SimulatedNodes.internalIp(node));
    if (status.getStartTime() == null) {
      status.setStartTime(SimulatedClock.format(startTime));
    }
    return status;
  }

  private void assignIp(Pod pod, Node node) {
    if (pod.getStatus().getPodIP() != null) {
      return;
    }
    String cidr = node.getSpec().getPodCIDR();
    String prefix = cidr == null ? "10.42.0." : cidr.substring(0, cidr.lastIndexOf('.') + 1);
    int host = podIps.merge(node.getMetadata().getName(), 1, (a, b) -> a % 253 + 1) + 1;
    String ip = prefix + host;
    pod.getStatus().setPodIP(ip);
    pod.getStatus().setPodIPs(List.of(new PodIPBuilder().withIp(ip).build()));
  }

  private static List<ContainerStatus> statuses(
      Pod pod, Function<Container, ContainerState> state, boolean ready, int restarts) {
    List<ContainerStatus> result = new ArrayList<>();
    for (Container c : pod.getSpec().getContainers()) {
      ContainerState s = state.apply(c);
      String digest = Owners.hash(c.getImage()) + Owners.hash(c.getName());
      result.add(
          new ContainerStatusBuilder()
              .withName(c.getName())
              .withImage(c.getImage())
              .withImageID(s.getWaiting() != null ? "" : "sha256:" + digest)
              .withContainerID(s.getWaiting() != null ? null : "containerd://" + digest)
              .withReady(ready)
              .withStarted(s.getRunning() != null)
              .withRestartCount(restarts)
              .withState(s)
              .build());
    }
    return result;
  }

  private static ContainerState waiting(String reason, String message) {
    return new ContainerStateBuilder()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .build();
  }

  /**
   * Writes status and remembers the stage; a failed write throws before the stage is recorded, so
   * the next pass tries again, and events are only recorded after a successful write.
   */
  private void write(Reconcile pass, Pod pod, String stage) {
    pass.client().pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
    stages.put(pod.getMetadata().getUid(), stage);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
