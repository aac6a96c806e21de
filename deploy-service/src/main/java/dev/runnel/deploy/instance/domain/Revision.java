package dev.runnel.deploy.instance.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A desired state that was applied: chart version, the user's values and the rendered manifests
 * (objects and hooks, YAML). Rollback re-applies one; diff compares two.
 *
 * @param status {@code deployed} (current), {@code superseded}, {@code failed}
 */
public record Revision(
    UUID instanceId,
    int number,
    String chartVersion,
    String userValues,
    String manifest,
    String hooks,
    String status,
    UUID operationId,
    Instant createdAt) {
  public static final String DEPLOYED = "deployed";
  public static final String SUPERSEDED = "superseded";
  public static final String FAILED = "failed";
}
