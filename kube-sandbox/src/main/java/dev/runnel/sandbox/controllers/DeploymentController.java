package dev.runnel.sandbox.controllers;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deployments: one ReplicaSet per pod template (named with its {@code pod-template-hash}), a
 * revision annotation that grows with each rollout, and status with the fields and conditions tools
 * read. A rollout is simplified: the new ReplicaSet is scaled to the full replica count at once and
 * old ones are scaled to zero when it is fully ready ({@code Recreate} scales old ones down first).
 * A rollout that never becomes ready ends with {@code ProgressDeadlineExceeded} and keeps the old
 * pods serving, as a real one does.
 */
final class DeploymentController implements Controller {

  private static final String COMPONENT = "deployment-controller";
  static final String HASH_LABEL = "pod-template-hash";
  static final String REVISION = "deployment.kubernetes.io/revision";

  @Override
  public void reconcile(Reconcile pass) {
    for (Deployment deployment : Workloads.deployments(pass)) {
      reconcile(pass, deployment);
    }
  }

  private void reconcile(Reconcile pass, Deployment d) {
    String namespace = d.getMetadata().getNamespace();
    int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    String hash = Owners.hash(d.getSpec().getTemplate());
    List<ReplicaSet> owned =
        Workloads.replicaSets(pass).stream().filter(rs -> Owners.isControlledBy(rs, d)).toList();
    Optional<ReplicaSet> current =
        owned.stream().filter(rs -> hash.equals(labels(rs).get(HASH_LABEL))).findFirst();
    List<ReplicaSet> old =
        owned.stream().filter(rs -> !hash.equals(labels(rs).get(HASH_LABEL))).toList();
    boolean recreate =
        d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());
    boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
    int maxRevision = owned.stream().mapToInt(DeploymentController::revision).max().orElse(0);
    boolean oldPodsLeft =
        old.stream().anyMatch(rs -> rs.getStatus() != null && nz(rs.getStatus().getReplicas()) > 0);

    ReplicaSet newRs = current.orElse(null);
    if (!paused) {
      int oldSpec = old.stream().mapToInt(DeploymentController::replicas).sum();
      int target;
      if (recreate) {
        target = oldPodsLeft || oldSpec > 0 ? 0 : desired;
      } else {
        // Surge: the new ReplicaSet may grow while old and new together stay within
        // replicas + maxSurge; it never shrinks mid-rollout except when replicas shrink.
        int currentReplicas = newRs == null ? 0 : replicas(newRs);
        int room = desired + maxSurge(d, desired) - oldSpec;
        target = Math.min(desired, Math.max(currentReplicas, room));
      }
      if (newRs == null) {
        newRs = createReplicaSet(pass, d, hash, target, maxRevision + 1);
      } else if (replicas(newRs) != target || revision(newRs) < maxRevision) {
        int from = replicas(newRs);
        newRs.getSpec().setReplicas(target);
        if (revision(newRs) < maxRevision) {
          newRs.getMetadata().getAnnotations().put(REVISION, String.valueOf(maxRevision + 1));
        }
        newRs = pass.client().apps().replicaSets().inNamespace(namespace).resource(newRs).update();
        if (from != target) {
          scaled(pass, d, newRs, from, target);
        }
      }
      if (recreate) {
        for (ReplicaSet rs : old) {
          scaleTo(pass, d, rs, 0);
        }
      } else {
        scaleDownOld(pass, d, desired, target, newRs, old);
      }
      pruneHistory(pass, d, old);
    }
    updateStatus(pass, d, desired, newRs, owned);
  }

  /**
   * Scales old ReplicaSets down as far as maxUnavailable allows: unready old pods go first, then
   * ready ones while the ready pods of all ReplicaSets stay at replicas - maxUnavailable or more,
   * as the Deployment controller's rolling update does.
   */
  private void scaleDownOld(
      Reconcile pass,
      Deployment d,
      int desired,
      int newTarget,
      ReplicaSet newRs,
      List<ReplicaSet> old) {
    int minAvailable = desired - maxUnavailable(d, desired);
    int newReady = ready(newRs);
    int oldSpec = old.stream().mapToInt(DeploymentController::replicas).sum();
    int budget = newTarget + oldSpec - minAvailable - Math.max(0, newTarget - newReady);
    List<ReplicaSet> oldestFirst =
        old.stream().sorted(Comparator.comparingInt(DeploymentController::revision)).toList();
    int[] next = new int[oldestFirst.size()];
    for (int i = 0; i < next.length; i++) {
      ReplicaSet rs = oldestFirst.get(i);
      int unhealthy = Math.max(0, replicas(rs) - ready(rs));
      int cut = Math.max(0, Math.min(unhealthy, budget));
      next[i] = replicas(rs) - cut;
      budget -= cut;
    }
    int available = newReady + oldestFirst.stream().mapToInt(DeploymentController::ready).sum();
    int removable = Math.min(budget, available - minAvailable);
    for (int i = 0; i < next.length && removable > 0; i++) {
      int cut = Math.min(next[i], removable);
      next[i] -= cut;
      removable -= cut;
    }
    for (int i = 0; i < next.length; i++) {
      scaleTo(pass, d, oldestFirst.get(i), next[i]);
    }
  }

  private static void scaleTo(Reconcile pass, Deployment d, ReplicaSet rs, int replicas) {
    int from = replicas(rs);
    if (from == replicas) {
      return;
    }
    rs.getSpec().setReplicas(replicas);
    pass.client()
        .apps()
        .replicaSets()
        .inNamespace(rs.getMetadata().getNamespace())
        .resource(rs)
        .update();
    scaled(pass, d, rs, from, replicas);
  }

  private static int maxSurge(Deployment d, int desired) {
    int surge =
        d.getSpec().getStrategy() != null && d.getSpec().getStrategy().getRollingUpdate() != null
            ? Workloads.resolve(
                d.getSpec().getStrategy().getRollingUpdate().getMaxSurge(),
                desired,
                true,
                (desired + 3) / 4)
            : (desired + 3) / 4;
    // Both limits zero would stall a rollout; the API server rejects that, so assume one.
    return surge == 0 && maxUnavailable(d, desired) == 0 ? 1 : surge;
  }

  private static int maxUnavailable(Deployment d, int desired) {
    return d.getSpec().getStrategy() != null && d.getSpec().getStrategy().getRollingUpdate() != null
        ? Workloads.resolve(
            d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable(),
            desired,
            false,
            desired / 4)
        : desired / 4;
  }

  private static int ready(ReplicaSet rs) {
    return rs == null || rs.getStatus() == null ? 0 : nz(rs.getStatus().getReadyReplicas());
  }

  private ReplicaSet createReplicaSet(
      Reconcile pass, Deployment d, String hash, int replicas, int revision) {
    PodTemplateSpec template = Serialization.clone(d.getSpec().getTemplate());
    if (template.getMetadata() == null) {
      template.setMetadata(new ObjectMetaBuilder().build());
    }
    Map<String, String> podLabels = new HashMap<>();
    if (template.getMetadata().getLabels() != null) {
      podLabels.putAll(template.getMetadata().getLabels());
    }
    podLabels.put(HASH_LABEL, hash);
    template.getMetadata().setLabels(podLabels);
    Map<String, String> selector = new HashMap<>();
    if (d.getSpec().getSelector() != null && d.getSpec().getSelector().getMatchLabels() != null) {
      selector.putAll(d.getSpec().getSelector().getMatchLabels());
    }
    selector.put(HASH_LABEL, hash);
    ReplicaSet rs =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName(d.getMetadata().getName() + "-" + hash)
            .withNamespace(d.getMetadata().getNamespace())
            .withLabels(podLabels)
            .addToAnnotations(REVISION, String.valueOf(revision))
            .addToAnnotations("deployment.kubernetes.io/desired-replicas", String.valueOf(replicas))
            .withOwnerReferences(Owners.controllerRef(d))
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector()
            .withMatchLabels(selector)
            .withMatchExpressions(
                d.getSpec().getSelector() == null
                    ? List.of()
                    : d.getSpec().getSelector().getMatchExpressions())
            .endSelector()
            .withTemplate(template)
            .endSpec()
            .build();
    ReplicaSet created =
        pass.client()
            .apps()
            .replicaSets()
            .inNamespace(d.getMetadata().getNamespace())
            .resource(rs)
            .create();
    pass.wrote(Workloads.REPLICA_SETS, created);
    scaled(pass, d, created, 0, replicas);
    return created;
  }

  private void pruneHistory(Reconcile pass, Deployment d, List<ReplicaSet> old) {
    int limit =
        d.getSpec().getRevisionHistoryLimit() == null ? 10 : d.getSpec().getRevisionHistoryLimit();
    List<ReplicaSet> idle =
        old.stream()
            .filter(
                rs ->
                    replicas(rs) == 0
                        && (rs.getStatus() == null || nz(rs.getStatus().getReplicas()) == 0))
            .sorted(Comparator.comparingInt(DeploymentController::revision))
            .toList();
    for (int i = 0; i < idle.size() - limit; i++) {
      pass.client()
          .apps()
          .replicaSets()
          .inNamespace(d.getMetadata().getNamespace())
          .withName(idle.get(i).getMetadata().getName())
          .delete();
    }
  }

  private void updateStatus(
      Reconcile pass, Deployment d, int desired, ReplicaSet newRs, List<ReplicaSet> owned) {
    int replicas = 0;
    int ready = 0;
    int available = 0;
    boolean oldActive = false;
    for (ReplicaSet rs : owned) {
      if (rs.getStatus() != null) {
        replicas += nz(rs.getStatus().getReplicas());
        ready += nz(rs.getStatus().getReadyReplicas());
        available += nz(rs.getStatus().getAvailableReplicas());
      }
      boolean isNew =
          newRs != null && rs.getMetadata().getUid().equals(newRs.getMetadata().getUid());
      if (!isNew
          && (replicas(rs) > 0
              || (rs.getStatus() != null && nz(rs.getStatus().getReplicas()) > 0))) {
        oldActive = true;
      }
    }
    int updated =
        newRs == null || newRs.getStatus() == null ? 0 : nz(newRs.getStatus().getReplicas());
    int newReady =
        newRs == null || newRs.getStatus() == null ? 0 : nz(newRs.getStatus().getReadyReplicas());
    int maxUnavailable = maxUnavailable(d, desired);
    List<DeploymentCondition> previous =
        d.getStatus() == null || d.getStatus().getConditions() == null
            ? List.of()
            : d.getStatus().getConditions();
    List<DeploymentCondition> conditions = new ArrayList<>();
    boolean minimum = available >= desired - maxUnavailable;
    conditions.add(
        condition(
            previous,
            pass,
            "Available",
            minimum ? "True" : "False",
            minimum ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            minimum
                ? "Deployment has minimum availability."
                : "Deployment does not have minimum availability."));
    String rsName = newRs == null ? d.getMetadata().getName() : newRs.getMetadata().getName();
    boolean complete = newRs != null && updated == desired && newReady == desired && !oldActive;
    String reason;
    String status = "True";
    String message;
    if (complete) {
      reason = "NewReplicaSetAvailable";
      message = "ReplicaSet \"" + rsName + "\" has successfully progressed.";
    } else {
      reason = "ReplicaSetUpdated";
      message = "ReplicaSet \"" + rsName + "\" is progressing.";
      Optional<DeploymentCondition> progressing =
          previous.stream().filter(c -> "Progressing".equals(c.getType())).findFirst();
      int deadline =
          d.getSpec().getProgressDeadlineSeconds() == null
              ? 600
              : d.getSpec().getProgressDeadlineSeconds();
      if (progressing.isPresent() && progressing.get().getLastUpdateTime() != null) {
        Instant since = Instant.parse(progressing.get().getLastUpdateTime());
        boolean sameRollout =
            progressing.get().getMessage() != null
                && progressing.get().getMessage().contains("\"" + rsName + "\"");
        if (sameRollout && !pass.now().isBefore(since.plusSeconds(deadline))) {
          status = "False";
          reason = "ProgressDeadlineExceeded";
          message = "ReplicaSet \"" + rsName + "\" has timed out progressing.";
        } else if (sameRollout) {
          pass.requeueAt(since.plusSeconds(deadline));
        }
      }
    }
    conditions.add(condition(previous, pass, "Progressing", status, reason, message));
    DeploymentStatus next =
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withUpdatedReplicas(updated)
            .withReadyReplicas(ready)
            .withAvailableReplicas(available)
            .withUnavailableReplicas(Math.max(0, Math.max(desired, replicas) - available))
            .withConditions(conditions)
            .build();
    if (!next.equals(d.getStatus())) {
      d.setStatus(next);
      pass.client()
          .apps()
          .deployments()
          .inNamespace(d.getMetadata().getNamespace())
          .resource(d)
          .updateStatus();
    }
  }

  /** Keeps timestamps when nothing changed, so that an unchanged status compares equal. */
  private static DeploymentCondition condition(
      List<DeploymentCondition> previous,
      Reconcile pass,
      String type,
      String status,
      String reason,
      String message) {
    Optional<DeploymentCondition> old =
        previous.stream().filter(c -> type.equals(c.getType())).findFirst();
    if (old.isPresent()
        && status.equals(old.get().getStatus())
        && reason.equals(old.get().getReason())
        && message.equals(old.get().getMessage())) {
      return old.get();
    }
    String transition =
        old.filter(c -> status.equals(c.getStatus()))
            .map(DeploymentCondition::getLastTransitionTime)
            .orElse(pass.timestamp());
    return new DeploymentConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastUpdateTime(pass.timestamp())
        .withLastTransitionTime(transition)
        .build();
  }

  private static void scaled(Reconcile pass, Deployment d, ReplicaSet rs, int from, int to) {
    pass.events()
        .normal(
            d,
            COMPONENT,
            "ScalingReplicaSet",
            "Scaled "
                + (to > from ? "up" : "down")
                + " replica set "
                + rs.getMetadata().getName()
                + " from "
                + from
                + " to "
                + to);
  }

  private static Map<String, String> labels(ReplicaSet rs) {
    return rs.getMetadata().getLabels() == null ? Map.of() : rs.getMetadata().getLabels();
  }

  private static int replicas(ReplicaSet rs) {
    return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
  }

  static int revision(ReplicaSet rs) {
    Map<String, String> a = rs.getMetadata().getAnnotations();
    if (a == null || a.get(REVISION) == null) {
      return 0;
    }
    return Integer.parseInt(a.get(REVISION));
  }

  private static int nz(Integer value) {
    return value == null ? 0 : value;
  }
}
