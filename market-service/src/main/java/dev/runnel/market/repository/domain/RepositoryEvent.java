package dev.runnel.market.repository.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What happened to a repository or to the catalog it feeds. Wire names are in {@link #type()}. */
public sealed interface RepositoryEvent {
  UUID eventId();

  Instant occurredAt();

  /** The aggregate id: the repository name, or {@code repository/app} for app events. */
  String subject();

  String type();

  record Added(UUID eventId, Instant occurredAt, ChartRepository repository)
      implements RepositoryEvent {
    @Override
    public String subject() {
      return repository.name();
    }

    @Override
    public String type() {
      return "runnel.market.repository.added.v1";
    }
  }

  record Updated(UUID eventId, Instant occurredAt, ChartRepository repository)
      implements RepositoryEvent {
    @Override
    public String subject() {
      return repository.name();
    }

    @Override
    public String type() {
      return "runnel.market.repository.updated.v1";
    }
  }

  record Removed(UUID eventId, Instant occurredAt, ChartRepository repository)
      implements RepositoryEvent {
    @Override
    public String subject() {
      return repository.name();
    }

    @Override
    public String type() {
      return "runnel.market.repository.removed.v1";
    }
  }

  record Synced(
      UUID eventId,
      Instant occurredAt,
      String repository,
      SyncStatus status,
      int appsChanged,
      int versionsAdded,
      int versionsRemoved)
      implements RepositoryEvent {
    @Override
    public String subject() {
      return repository;
    }

    @Override
    public String type() {
      return "runnel.market.repository.synced.v1";
    }
  }

  record SyncFailed(UUID eventId, Instant occurredAt, String repository, String error)
      implements RepositoryEvent {
    @Override
    public String subject() {
      return repository;
    }

    @Override
    public String type() {
      return "runnel.market.repository.sync-failed.v1";
    }
  }

  /**
   * Versions of one app that appeared in (or left) its repository in one sync: one event per app
   * and sync, not per version, so a first sync of 33,000 versions is a few hundred events.
   */
  record AppVersionsChanged(
      UUID eventId,
      Instant occurredAt,
      String repository,
      String app,
      boolean added,
      List<String> versions)
      implements RepositoryEvent {
    @Override
    public String subject() {
      return repository + "/" + app;
    }

    @Override
    public String type() {
      return added ? "runnel.market.app.version-added.v1" : "runnel.market.app.version-removed.v1";
    }
  }
}
