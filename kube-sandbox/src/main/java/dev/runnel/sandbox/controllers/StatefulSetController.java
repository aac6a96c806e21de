package dev.runnel.sandbox.controllers;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * StatefulSets: pods {@code <name>-0..n-1} with stable names, one PersistentVolumeClaim per
 * volumeClaimTemplate and ordinal ({@code <template>-<name>-<ordinal>}, kept when the set scales
 * down, as Kubernetes does). With {@code OrderedReady} (the default) a pod is created only when all
 * lower ordinals are ready and scale-down removes the highest ordinal first, one at a time; a
 * template change replaces pods from the highest ordinal down.
 */
final class StatefulSetController implements Controller {

  private static final String COMPONENT = "statefulset-controller";
  private static final String REVISION_LABEL = "controller-revision-hash";

  @Override
  public void reconcile(Reconcile pass) {
    for (StatefulSet sts : Workloads.statefulSets(pass)) {
      reconcile(pass, sts);
    }
  }

  private void reconcile(Reconcile pass, StatefulSet sts) {
    String name = sts.getMetadata().getName();
    String namespace = sts.getMetadata().getNamespace();
    int desired = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
    boolean parallel = "Parallel".equals(sts.getSpec().getPodManagementPolicy());
    String revision = name + "-" + Owners.hash(sts.getSpec().getTemplate());
    Map<Integer, Pod> byOrdinal = new HashMap<>();
    for (Pod pod : Workloads.podsOf(pass, sts)) {
      ordinal(name, pod).ifPresent(o -> byOrdinal.put(o, pod));
    }
    boolean acted = false;
    for (int i = 0; i < desired && !acted; i++) {
      Pod pod = byOrdinal.get(i);
      if (pod == null) {
        createPod(pass, sts, i, revision);
        acted = !parallel;
      } else if (!parallel && !Pods.isReady(pod)) {
        acted = true;
      }
    }
    List<Integer> surplus =
        byOrdinal.keySet().stream()
            .filter(o -> o >= desired)
            .sorted(Comparator.reverseOrder())
            .toList();
    for (Integer ordinal : surplus) {
      deletePod(pass, sts, byOrdinal.get(ordinal));
      if (!parallel) {
        break;
      }
    }
    if (surplus.isEmpty() && !acted) {
      // Rolling update: replace the highest outdated pod once all others are ready.
      byOrdinal.entrySet().stream()
          .filter(e -> e.getKey() < desired)
          .filter(e -> !revision.equals(label(e.getValue(), REVISION_LABEL)))
          .max(Map.Entry.comparingByKey())
          .ifPresent(e -> deletePod(pass, sts, e.getValue()));
    }
    List<Pod> pods = byOrdinal.values().stream().filter(Pods::isActive).toList();
    int ready = (int) pods.stream().filter(Pods::isReady).count();
    int updated =
        (int) pods.stream().filter(p -> revision.equals(label(p, REVISION_LABEL))).count();
    StatefulSetStatus status =
        new StatefulSetStatusBuilder()
            .withObservedGeneration(sts.getMetadata().getGeneration())
            .withReplicas(pods.size())
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withCurrentReplicas(updated)
            .withUpdatedReplicas(updated)
            .withCurrentRevision(revision)
            .withUpdateRevision(revision)
            .withCollisionCount(0)
            .build();
    if (!status.equals(sts.getStatus())) {
      sts.setStatus(status);
      pass.client().apps().statefulSets().inNamespace(namespace).resource(sts).updateStatus();
    }
  }

  private void createPod(Reconcile pass, StatefulSet sts, int ordinal, String revision) {
    String name = sts.getMetadata().getName();
    String namespace = sts.getMetadata().getNamespace();
    String podName = name + "-" + ordinal;
    List<Volume> claimVolumes = new ArrayList<>();
    if (sts.getSpec().getVolumeClaimTemplates() != null) {
      for (PersistentVolumeClaim template : sts.getSpec().getVolumeClaimTemplates()) {
        String claimName = template.getMetadata().getName() + "-" + podName;
        if (pass.client().persistentVolumeClaims().inNamespace(namespace).withName(claimName).get()
            == null) {
          Map<String, String> labels = new HashMap<>();
          if (sts.getSpec().getSelector() != null
              && sts.getSpec().getSelector().getMatchLabels() != null) {
            labels.putAll(sts.getSpec().getSelector().getMatchLabels());
          }
          PersistentVolumeClaim claim =
              new PersistentVolumeClaimBuilder()
                  .withMetadata(
                      new ObjectMetaBuilder()
                          .withName(claimName)
                          .withNamespace(namespace)
                          .withLabels(labels)
                          .build())
                  .withSpec(Serialization.clone(template.getSpec()))
                  .build();
          pass.client().persistentVolumeClaims().inNamespace(namespace).resource(claim).create();
          pass.events()
              .normal(
                  sts,
                  COMPONENT,
                  "SuccessfulCreate",
                  "create Claim "
                      + claimName
                      + " Pod "
                      + podName
                      + " in StatefulSet "
                      + name
                      + " success");
        }
        claimVolumes.add(
            new VolumeBuilder()
                .withName(template.getMetadata().getName())
                .withNewPersistentVolumeClaim()
                .withClaimName(claimName)
                .endPersistentVolumeClaim()
                .build());
      }
    }
    Map<String, String> extra = new HashMap<>();
    extra.put(REVISION_LABEL, revision);
    extra.put("statefulset.kubernetes.io/pod-name", podName);
    extra.put("apps.kubernetes.io/pod-index", String.valueOf(ordinal));
    Pod pod = Workloads.podFromTemplate(sts, sts.getSpec().getTemplate(), podName, extra);
    pod.getSpec().setHostname(podName);
    pod.getSpec().setSubdomain(sts.getSpec().getServiceName());
    List<Volume> volumes =
        pod.getSpec().getVolumes() == null
            ? new ArrayList<>()
            : new ArrayList<>(pod.getSpec().getVolumes());
    volumes.removeIf(v -> claimVolumes.stream().anyMatch(c -> c.getName().equals(v.getName())));
    volumes.addAll(claimVolumes);
    pod.getSpec().setVolumes(volumes);
    pass.wrote(pass.client().pods().inNamespace(namespace).resource(pod).create());
    pass.events()
        .normal(
            sts,
            COMPONENT,
            "SuccessfulCreate",
            "create Pod " + podName + " in StatefulSet " + name + " successful");
  }

  private static void deletePod(Reconcile pass, StatefulSet sts, Pod pod) {
    pass.client()
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .delete();
    pass.events()
        .normal(
            sts,
            COMPONENT,
            "SuccessfulDelete",
            "delete Pod "
                + pod.getMetadata().getName()
                + " in StatefulSet "
                + sts.getMetadata().getName()
                + " successful");
  }

  private static Optional<Integer> ordinal(String setName, Pod pod) {
    String podName = pod.getMetadata().getName();
    String prefix = setName + "-";
    if (!podName.startsWith(prefix)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(podName.substring(prefix.length())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String label(Pod pod, String key) {
    return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(key);
  }
}
