package dev.runnel.audit.trail.domain;

import java.util.Objects;

/**
 * A record at its place in the trail: its sequence number, the hash of the entry before it, and its
 * own hash. Entries read back from storage are taken as they are, even when they no longer match
 * their hashes, so that {@link ChainVerification} can say where the trail was changed.
 */
public record TrailEntry(long seq, String prevHash, String hash, AuditRecord record) {
  public TrailEntry {
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be positive: " + seq);
    }
    Objects.requireNonNull(prevHash, "prevHash");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(record, "record");
  }
}
