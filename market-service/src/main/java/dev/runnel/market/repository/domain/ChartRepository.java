package dev.runnel.market.repository.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A Helm chart repository the market syncs its catalog from. Platform-wide, managed by platform
 * admins. The built-in repository {@code local} holds the charts published into Runnel and cannot
 * be edited or removed.
 */
public record ChartRepository(
    String name,
    String url,
    boolean builtin,
    RepositoryAuth auth,
    String caPem,
    Duration syncInterval,
    SyncStatus status,
    long version,
    Instant createdAt,
    Instant updatedAt) {

  public ChartRepository {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(status, "status");
    if (!builtin) {
      name = RepositoryRules.name(name);
      url = RepositoryRules.url(url);
      caPem = RepositoryRules.caPem(caPem);
      RepositoryRules.interval(syncInterval);
    }
  }

  public static ChartRepository create(
      String name, String url, RepositoryAuth auth, String caPem, Duration interval, Instant now) {
    if (RepositoryRules.LOCAL.equals(name)) {
      throw new InvalidRepositoryException("name", "'local' is the built-in repository's name");
    }
    return new ChartRepository(
        name, url, false, auth, caPem, interval, SyncStatus.NEVER, 0, now, now);
  }

  /**
   * The new settings; the built-in repository refuses. The index validators are dropped: a server's
   * answer to one URL and set of credentials says nothing about another.
   */
  public ChartRepository update(
      String newUrl, RepositoryAuth newAuth, String newCaPem, Duration interval, Instant now) {
    refuseBuiltin("edited");
    return new ChartRepository(
        name,
        newUrl,
        false,
        newAuth,
        newCaPem,
        interval,
        status.withoutValidators(),
        version + 1,
        createdAt,
        now);
  }

  public void refuseBuiltin(String action) {
    if (builtin) {
      throw new BuiltinRepositoryException(
          "The built-in repository '" + name + "' cannot be " + action);
    }
  }

  /** True when the scheduler should sync it now. */
  public boolean due(Instant now) {
    return status.lastSyncAt() == null || !status.lastSyncAt().plus(syncInterval).isAfter(now);
  }

  /** The built-in repository was asked to change. */
  public static final class BuiltinRepositoryException extends RuntimeException {
    public BuiltinRepositoryException(String message) {
      super(message);
    }
  }
}
