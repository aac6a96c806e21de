package dev.runnel.health;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Jobs (gitops-engine) and CronJobs (Argo CD's built-in CronJob check). */
final class BatchChecks {
  private BatchChecks() {}

  static Health job(KubeObject job) {
    boolean finished = false;
    boolean failed = false;
    boolean suspended = false;
    String failMessage = "";
    String message = "";
    for (KubeObject condition : job.objects("status", "conditions")) {
      switch (condition.string("type")) {
        case "Failed" -> {
          finished = true;
          failed = true;
          failMessage = condition.string("message");
        }
        case "Complete" -> {
          finished = true;
          message = condition.string("message");
        }
        case "Suspended" -> {
          finished = true;
          message = condition.string("message");
          suspended = "True".equals(condition.string("status"));
        }
        default -> {
          // other conditions (FailureTarget, SuccessCriteriaMet) do not end a job
        }
      }
    }
    if (!finished) {
      return new Health(HealthStatus.PROGRESSING, message);
    }
    if (failed) {
      return new Health(HealthStatus.DEGRADED, failMessage);
    }
    if (suspended) {
      return new Health(HealthStatus.SUSPENDED, message);
    }
    return new Health(HealthStatus.HEALTHY, message);
  }

  static Health cronJob(KubeObject cron) {
    // Argo CD reports a suspended CronJob as Healthy (argo-cd#24428, to keep whole applications
    // from reading Suspended); Runnel suspends CronJobs when a user stops an instance, so it says
    // Suspended, as it does for a suspended Job or a paused Deployment.
    if (cron.flag("spec", "suspend")) {
      return new Health(HealthStatus.SUSPENDED, "CronJob is suspended");
    }
    if (!cron.has("status")) {
      return new Health(HealthStatus.PROGRESSING, "Waiting for CronJob");
    }
    if (!cron.has("status", "lastScheduleTime")) {
      return new Health(HealthStatus.HEALTHY, "CronJob has not been scheduled yet");
    }
    if (!cron.has("status", "lastSuccessfulTime")) {
      return new Health(
          HealthStatus.HEALTHY, "The CronJob never completed successfully. It may not be healthy");
    }
    if (!cron.list("status", "active").isEmpty()) {
      return new Health(
          HealthStatus.HEALTHY,
          "The job is running. Its last execution may not have been successful");
    }
    Instant scheduled = instant(cron.string("status", "lastScheduleTime"));
    Instant succeeded = instant(cron.string("status", "lastSuccessfulTime"));
    if (scheduled != null && succeeded != null && succeeded.isBefore(scheduled)) {
      return new Health(
          HealthStatus.DEGRADED, "CronJob has not completed its last execution successfully");
    }
    return new Health(
        HealthStatus.HEALTHY, "CronJob has completed its last execution successfully");
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notATimestamp) {
      return null;
    }
  }
}
