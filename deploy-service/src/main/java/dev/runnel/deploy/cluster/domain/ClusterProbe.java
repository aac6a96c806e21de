package dev.runnel.deploy.cluster.domain;

/**
 * What a connectivity check found: the API server, its version, node count, and whether simulated.
 */
public record ClusterProbe(String server, String version, boolean simulated, int nodeCount) {}
