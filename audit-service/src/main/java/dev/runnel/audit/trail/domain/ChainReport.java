package dev.runnel.audit.trail.domain;

/**
 * The outcome of verifying the trail.
 *
 * @param valid whether every entry matched its hash and linked to the one before it
 * @param checked how many entries were checked
 * @param firstBrokenSeq the seq of the first entry that did not, or null when valid
 */
public record ChainReport(boolean valid, long checked, Long firstBrokenSeq) {}
