package dev.runnel.market.repository.domain;

import java.time.Instant;

/**
 * What the last sync of a repository did.
 *
 * @param result {@code never}, {@code synced}, {@code unchanged} or {@code failed}
 * @param error why the last sync failed; null otherwise
 */
public record SyncStatus(
    Instant lastSyncAt,
    String result,
    String error,
    String indexSha256,
    int apps,
    int versions,
    int skipped) {
  public static final SyncStatus NEVER = new SyncStatus(null, "never", null, null, 0, 0, 0);
}
