package dev.runnel.deploy.team.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * How far a team's namespace is on one cluster: the team version last attempted there and how that
 * went. A failure is retried with exponential pauses, so an unreachable cluster gets the change
 * once it answers again and does not slow the others meanwhile.
 *
 * @param version the team's version this status is about
 * @param attempts failed attempts in a row at this version (0 once it succeeded)
 * @param error why the last attempt failed; null unless failed
 * @param nextAttemptAt when a failed attempt is tried again; null unless failed
 * @param reconciledAt when the objects were last applied (or removed) successfully
 */
public record NamespaceStatus(
    String team,
    String cluster,
    ReconcileState state,
    long version,
    int attempts,
    String error,
    Instant nextAttemptAt,
    Instant reconciledAt,
    Instant updatedAt) {

  public static NamespaceStatus succeeded(Team team, String cluster, Instant now) {
    return new NamespaceStatus(
        team.name(),
        cluster,
        team.deleted() ? ReconcileState.DELETED : ReconcileState.RECONCILED,
        team.version(),
        0,
        null,
        null,
        now,
        now);
  }

  /**
   * A failed attempt after {@code previous} (null when none): attempts count up while the version
   * stays, and the pause doubles from {@code firstPause} up to {@code longestPause}.
   */
  public static NamespaceStatus failed(
      NamespaceStatus previous,
      Team team,
      String cluster,
      String error,
      Instant now,
      Duration firstPause,
      Duration longestPause) {
    int attempts =
        previous != null
                && previous.state == ReconcileState.FAILED
                && previous.version == team.version()
            ? previous.attempts + 1
            : 1;
    Duration pause = firstPause.multipliedBy(1L << Math.min(attempts - 1, 20));
    if (pause.compareTo(longestPause) > 0) {
      pause = longestPause;
    }
    return new NamespaceStatus(
        team.name(),
        cluster,
        ReconcileState.FAILED,
        team.version(),
        attempts,
        error,
        now.plus(pause),
        previous == null ? null : previous.reconciledAt,
        now);
  }

  /** The first failure at a version is news; the retries that follow are not. */
  public boolean firstFailure() {
    return state == ReconcileState.FAILED && attempts == 1;
  }
}
