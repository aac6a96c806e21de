package dev.runnel.kit.web;

/**
 * A larger body limit for one path, contributed as a bean by a service whose handler reads that
 * path's body as a stream and bounds it itself (for example a file upload), so that the kit's
 * in-memory limit for JSON bodies does not refuse it first.
 *
 * @param path the exact request path ({@code /api/market/v1/charts})
 * @param maxBytes the largest declared {@code Content-Length} accepted on that path
 */
public record BodyLimitOverride(String path, long maxBytes) {}
