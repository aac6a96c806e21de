package dev.runnel.market.catalog.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One chart version as a repository's index lists it, checked and normalised.
 *
 * @param raw the entry as it was in the index (maps, lists, strings and booleans), served back by
 *     the market's own Helm repository
 * @param categories category values from the annotations {@code category} and {@code
 *     artifacthub.io/category}, lower case
 */
public record IndexEntry(
    String name,
    String version,
    String appVersion,
    String description,
    String digest,
    List<String> urls,
    boolean deprecated,
    boolean prerelease,
    boolean library,
    List<String> keywords,
    List<String> categories,
    String icon,
    String home,
    Instant created,
    Map<String, Object> raw) {}
