package dev.runnel.market.category.domain;

import java.time.Instant;
import java.util.UUID;

/** What happened to a category. Wire names are in {@link #type()}, never the class name. */
public sealed interface CategoryEvent {
  UUID eventId();

  Instant occurredAt();

  Category category();

  String type();

  record Created(UUID eventId, Instant occurredAt, Category category) implements CategoryEvent {
    @Override
    public String type() {
      return "runnel.market.category.created.v1";
    }
  }

  record Updated(UUID eventId, Instant occurredAt, Category category, String previousName)
      implements CategoryEvent {
    @Override
    public String type() {
      return "runnel.market.category.updated.v1";
    }
  }

  record Deleted(UUID eventId, Instant occurredAt, Category category) implements CategoryEvent {
    @Override
    public String type() {
      return "runnel.market.category.deleted.v1";
    }
  }
}
