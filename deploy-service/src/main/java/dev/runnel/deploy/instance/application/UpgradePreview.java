package dev.runnel.deploy.instance.application;

/** What an upgrade would change: unified diffs of the rendered manifests and of the user values. */
public record UpgradePreview(
    String fromVersion,
    String toVersion,
    int fromRevision,
    String manifestDiff,
    String valuesDiff,
    boolean changes) {}
