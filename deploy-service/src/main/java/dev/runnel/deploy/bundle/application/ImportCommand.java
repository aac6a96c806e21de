package dev.runnel.deploy.bundle.application;

import dev.runnel.kit.security.Caller;

/** Install the bundle's chart with its values as a new instance (a clone). */
public record ImportCommand(
    byte[] bundle,
    String cluster,
    String namespace,
    String team,
    String name,
    Caller caller,
    String bearerToken,
    String idempotencyKey) {}
