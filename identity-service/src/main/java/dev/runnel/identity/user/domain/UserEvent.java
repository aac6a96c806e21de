package dev.runnel.identity.user.domain;

import java.time.Instant;
import java.util.UUID;

/** What happened to a user. Wire names are in {@link #type()}, never the class name. */
public sealed interface UserEvent {
  UUID eventId();

  Instant occurredAt();

  User user();

  String type();

  record Created(UUID eventId, Instant occurredAt, User user) implements UserEvent {
    @Override
    public String type() {
      return "runnel.identity.user.created.v1";
    }
  }

  record Disabled(UUID eventId, Instant occurredAt, User user) implements UserEvent {
    @Override
    public String type() {
      return "runnel.identity.user.disabled.v1";
    }
  }

  record Enabled(UUID eventId, Instant occurredAt, User user) implements UserEvent {
    @Override
    public String type() {
      return "runnel.identity.user.enabled.v1";
    }
  }

  record Deleted(UUID eventId, Instant occurredAt, User user) implements UserEvent {
    @Override
    public String type() {
      return "runnel.identity.user.deleted.v1";
    }
  }
}
