package dev.runnel.sandbox.controllers;

import dev.runnel.sandbox.SimulatedClock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CronJobs: on each due time of the schedule (in {@code timeZone}, UTC otherwise) a Job named
 * {@code <name>-<minutes since epoch>} is created, as the real controller names them. Missed runs
 * collapse into the latest one; {@code suspend} and the Forbid/Replace concurrency policies are
 * honoured; finished Jobs beyond the history limits are deleted. Time is the sandbox clock, so a
 * test can advance it instead of waiting for the minute.
 */
final class CronJobController implements Controller {

  private static final String COMPONENT = "cronjob-controller";

  private final Set<String> invalidReported = new HashSet<>();

  @Override
  public void reconcile(Reconcile pass) {
    for (CronJob cronJob : Workloads.cronJobs(pass)) {
      reconcile(pass, cronJob);
    }
  }

  private void reconcile(Reconcile pass, CronJob cj) {
    CronSchedule schedule;
    ZoneId zone;
    try {
      schedule = CronSchedule.parse(cj.getSpec().getSchedule());
      zone =
          cj.getSpec().getTimeZone() == null
              ? ZoneOffset.UTC
              : ZoneId.of(cj.getSpec().getTimeZone());
    } catch (RuntimeException e) {
      if (invalidReported.add(cj.getMetadata().getUid())) {
        pass.events()
            .warning(
                cj,
                COMPONENT,
                "InvalidSchedule",
                "invalid schedule: " + cj.getSpec().getSchedule() + ": " + e.getMessage());
      }
      return;
    }
    String namespace = cj.getMetadata().getNamespace();
    CronJobStatus previous = cj.getStatus() == null ? new CronJobStatus() : cj.getStatus();
    Instant last =
        Instant.parse(
            previous.getLastScheduleTime() != null
                ? previous.getLastScheduleTime()
                : cj.getMetadata().getCreationTimestamp());
    List<Job> owned =
        Workloads.jobs(pass).stream().filter(j -> Owners.isControlledBy(j, cj)).toList();
    List<Job> active =
        new ArrayList<>(owned.stream().filter(j -> !JobController.finished(j)).toList());
    String lastScheduleTime = previous.getLastScheduleTime();
    Instant next = schedule.next(last, zone);
    if (!Boolean.TRUE.equals(cj.getSpec().getSuspend()) && !pass.now().isBefore(next)) {
      Instant due = next;
      for (int i = 0; i < 100_000; i++) {
        Instant after = schedule.next(due, zone);
        if (after.isAfter(pass.now())) {
          break;
        }
        due = after;
      }
      String policy =
          cj.getSpec().getConcurrencyPolicy() == null
              ? "Allow"
              : cj.getSpec().getConcurrencyPolicy();
      if (policy.equals("Forbid") && !active.isEmpty()) {
        pass.events()
            .normal(
                cj,
                COMPONENT,
                "JobAlreadyActive",
                "Not starting job because prior execution is running and concurrency policy is Forbid");
      } else {
        if (policy.equals("Replace")) {
          for (Job job : active) {
            pass.client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withName(job.getMetadata().getName())
                .delete();
            pass.events()
                .normal(
                    cj,
                    COMPONENT,
                    "SuccessfulDelete",
                    "Deleted job " + job.getMetadata().getName());
          }
          active.clear();
        }
        Job job = createJob(pass, cj, due);
        active.add(job);
        lastScheduleTime = SimulatedClock.format(due);
        next = schedule.next(due, zone);
      }
    }
    if (!Boolean.TRUE.equals(cj.getSpec().getSuspend())) {
      pass.requeueAt(next);
    }
    pruneHistory(pass, cj, owned);
    String lastSuccess =
        owned.stream()
            .filter(j -> j.getStatus() != null && j.getStatus().getCompletionTime() != null)
            .map(j -> j.getStatus().getCompletionTime())
            .max(Comparator.naturalOrder())
            .orElse(previous.getLastSuccessfulTime());
    List<ObjectReference> refs =
        active.stream()
            .map(
                j ->
                    new ObjectReferenceBuilder()
                        .withApiVersion("batch/v1")
                        .withKind("Job")
                        .withName(j.getMetadata().getName())
                        .withNamespace(namespace)
                        .withUid(j.getMetadata().getUid())
                        .build())
            .sorted(Comparator.comparing(ObjectReference::getName))
            .toList();
    CronJobStatus status =
        new CronJobStatusBuilder()
            .withActive(refs)
            .withLastScheduleTime(lastScheduleTime)
            .withLastSuccessfulTime(lastSuccess)
            .build();
    if (!status.equals(cj.getStatus())) {
      cj.setStatus(status);
      pass.client().batch().v1().cronjobs().inNamespace(namespace).resource(cj).updateStatus();
    }
  }

  private Job createJob(Reconcile pass, CronJob cj, Instant due) {
    String name = cj.getMetadata().getName() + "-" + due.getEpochSecond() / 60;
    var template = cj.getSpec().getJobTemplate();
    Map<String, String> labels = new HashMap<>();
    Map<String, String> annotations = new HashMap<>();
    if (template.getMetadata() != null) {
      if (template.getMetadata().getLabels() != null) {
        labels.putAll(template.getMetadata().getLabels());
      }
      if (template.getMetadata().getAnnotations() != null) {
        annotations.putAll(template.getMetadata().getAnnotations());
      }
    }
    annotations.put("batch.kubernetes.io/cronjob-scheduled-timestamp", SimulatedClock.format(due));
    Job job =
        new JobBuilder()
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName(name)
                    .withNamespace(cj.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(annotations)
                    .withOwnerReferences(Owners.controllerRef(cj))
                    .build())
            .withSpec(Serialization.clone(template.getSpec()))
            .build();
    Job created =
        pass.client()
            .batch()
            .v1()
            .jobs()
            .inNamespace(cj.getMetadata().getNamespace())
            .resource(job)
            .create();
    pass.events().normal(cj, COMPONENT, "SuccessfulCreate", "Created job " + name);
    return created;
  }

  private static void pruneHistory(Reconcile pass, CronJob cj, List<Job> owned) {
    int keepSucceeded =
        cj.getSpec().getSuccessfulJobsHistoryLimit() == null
            ? 3
            : cj.getSpec().getSuccessfulJobsHistoryLimit();
    int keepFailed =
        cj.getSpec().getFailedJobsHistoryLimit() == null
            ? 1
            : cj.getSpec().getFailedJobsHistoryLimit();
    prune(pass, owned.stream().filter(j -> hasCondition(j, "Complete")).toList(), keepSucceeded);
    prune(pass, owned.stream().filter(j -> hasCondition(j, "Failed")).toList(), keepFailed);
  }

  private static void prune(Reconcile pass, List<Job> finished, int keep) {
    List<Job> oldestFirst =
        finished.stream()
            .sorted(Comparator.comparing(j -> j.getMetadata().getCreationTimestamp()))
            .toList();
    for (int i = 0; i < oldestFirst.size() - keep; i++) {
      Job job = oldestFirst.get(i);
      pass.client()
          .batch()
          .v1()
          .jobs()
          .inNamespace(job.getMetadata().getNamespace())
          .withName(job.getMetadata().getName())
          .delete();
    }
  }

  private static boolean hasCondition(Job job, String type) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
