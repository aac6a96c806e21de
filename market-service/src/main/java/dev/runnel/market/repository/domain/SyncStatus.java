package dev.runnel.market.repository.domain;

import java.time.Instant;

/**
 * What the last sync of a repository did.
 *
 * @param result {@code never}, {@code synced}, {@code unchanged} or {@code failed}
 * @param error why the last sync failed; null otherwise
 * @param validators the server's validators for the index the catalog was built from; they are
 *     valid only for the repository settings (URL, credentials, CA) they were obtained with
 */
public record SyncStatus(
    Instant lastSyncAt,
    String result,
    String error,
    String indexSha256,
    int apps,
    int versions,
    int skipped,
    IndexValidators validators) {
  public static final SyncStatus NEVER = new SyncStatus(null, "never", null, null, 0, 0, 0);

  public SyncStatus {
    validators = validators == null ? IndexValidators.NONE : validators;
  }

  public SyncStatus(
      Instant lastSyncAt,
      String result,
      String error,
      String indexSha256,
      int apps,
      int versions,
      int skipped) {
    this(lastSyncAt, result, error, indexSha256, apps, versions, skipped, IndexValidators.NONE);
  }

  /** The same status without validators: the settings they were obtained with changed. */
  public SyncStatus withoutValidators() {
    return new SyncStatus(lastSyncAt, result, error, indexSha256, apps, versions, skipped);
  }
}
