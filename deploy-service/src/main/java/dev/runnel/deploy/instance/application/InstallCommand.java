package dev.runnel.deploy.instance.application;

import dev.runnel.kit.security.Caller;
import java.util.Map;

/** Install an app version into a team's namespace; values may be null (chart defaults). */
public record InstallCommand(
    String cluster,
    String namespace,
    String team,
    String name,
    String repository,
    String chart,
    String version,
    Map<String, Object> values,
    Caller caller,
    String bearerToken,
    String idempotencyKey) {}
