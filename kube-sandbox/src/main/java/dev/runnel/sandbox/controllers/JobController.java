package dev.runnel.sandbox.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jobs: pods up to {@code parallelism} until {@code completions} succeeded, then {@code Complete};
 * more than {@code backoffLimit} failed pods ends in {@code Failed} with {@code
 * BackoffLimitExceeded}. {@code suspend} stops creating pods and removes active ones. Pods finish
 * through the kubelet stage, so a Job completes about one pod-ready delay after its pods run.
 */
final class JobController implements Controller {

  private static final String COMPONENT = "job-controller";

  @Override
  public void reconcile(Reconcile pass) {
    for (Job job : Workloads.jobs(pass)) {
      if (!finished(job)) {
        reconcile(pass, job);
      }
    }
  }

  static boolean finished(Job job) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        && "True".equals(c.getStatus()));
  }

  private void reconcile(Reconcile pass, Job job) {
    String namespace = job.getMetadata().getNamespace();
    int completions = job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
    int parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
    int backoffLimit =
        job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
    boolean suspended = Boolean.TRUE.equals(job.getSpec().getSuspend());
    List<Pod> pods = Workloads.podsOf(pass, job);
    List<Pod> active = pods.stream().filter(Pods::isActive).toList();
    int created = 0;
    int succeeded = (int) pods.stream().filter(p -> "Succeeded".equals(Pods.phase(p))).count();
    int failed = (int) pods.stream().filter(p -> "Failed".equals(Pods.phase(p))).count();
    JobStatus previous = job.getStatus() == null ? new JobStatus() : job.getStatus();
    List<JobCondition> conditions = new ArrayList<>();
    String completionTime = previous.getCompletionTime();
    if (succeeded >= completions) {
      completionTime = pass.timestamp();
      conditions.add(
          condition(
              "SuccessCriteriaMet",
              "CompletionsReached",
              "Reached expected number of succeeded pods",
              pass));
      conditions.add(
          condition(
              "Complete", "CompletionsReached", "Reached expected number of succeeded pods", pass));
      pass.events().normal(job, COMPONENT, "Completed", "Job completed");
    } else if (failed > backoffLimit) {
      deleteAll(pass, active);
      active = List.of();
      conditions.add(
          condition(
              "FailureTarget",
              "BackoffLimitExceeded",
              "Job has reached the specified backoff limit",
              pass));
      conditions.add(
          condition(
              "Failed",
              "BackoffLimitExceeded",
              "Job has reached the specified backoff limit",
              pass));
      pass.events()
          .warning(
              job,
              COMPONENT,
              "BackoffLimitExceeded",
              "Job has reached the specified backoff limit");
    } else if (suspended) {
      deleteAll(pass, active);
      active = List.of();
      boolean known =
          previous.getConditions() != null
              && previous.getConditions().stream().anyMatch(c -> "Suspended".equals(c.getType()));
      if (known) {
        conditions.addAll(previous.getConditions());
      } else {
        conditions.add(condition("Suspended", "JobSuspended", "Job suspended", pass));
      }
    } else {
      int want = Math.min(parallelism, completions - succeeded);
      for (int i = active.size(); i < want; i++) {
        Map<String, String> labels =
            Map.of(
                "batch.kubernetes.io/job-name", job.getMetadata().getName(),
                "job-name", job.getMetadata().getName(),
                "batch.kubernetes.io/controller-uid", job.getMetadata().getUid(),
                "controller-uid", job.getMetadata().getUid());
        Pod pod =
            Workloads.podFromTemplate(
                job,
                job.getSpec().getTemplate(),
                Workloads.generatedName(job.getMetadata().getName()),
                labels);
        pass.wrote(pass.client().pods().inNamespace(namespace).resource(pod).create());
        pass.events()
            .normal(
                job, COMPONENT, "SuccessfulCreate", "Created pod: " + pod.getMetadata().getName());
        created++;
      }
    }
    JobStatus status =
        new JobStatusBuilder()
            .withStartTime(
                previous.getStartTime() == null ? pass.timestamp() : previous.getStartTime())
            .withCompletionTime(succeeded >= completions ? completionTime : null)
            .withActive(active.size() + created == 0 ? null : active.size() + created)
            .withReady((int) active.stream().filter(Pods::isReady).count())
            .withSucceeded(succeeded == 0 ? null : succeeded)
            .withFailed(failed == 0 ? null : failed)
            .withTerminating(0)
            .withConditions(conditions.isEmpty() ? previous.getConditions() : conditions)
            .build();
    if (!status.equals(job.getStatus())) {
      job.setStatus(status);
      pass.client().batch().v1().jobs().inNamespace(namespace).resource(job).updateStatus();
    }
  }

  private static void deleteAll(Reconcile pass, List<Pod> pods) {
    for (Pod pod : pods) {
      pass.client()
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .delete();
    }
  }

  private static JobCondition condition(
      String type, String reason, String message, Reconcile pass) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(pass.timestamp())
        .withLastTransitionTime(pass.timestamp())
        .build();
  }
}
