package dev.runnel.deploy.instance.application;

import dev.runnel.kit.security.Caller;
import java.util.Map;
import java.util.UUID;

/**
 * Upgrade to another version and/or values. A null version keeps the current one; null values keep
 * the user's current values (they are the whole set of user values when given).
 */
public record UpgradeCommand(
    UUID instanceId,
    String version,
    Map<String, Object> values,
    boolean dryRun,
    Caller caller,
    String bearerToken,
    String idempotencyKey) {}
