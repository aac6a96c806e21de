package dev.runnel.market.category.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A market category (应用分类) that apps are filed under. Platform-wide, not team-owned.
 *
 * <p>Changes return the new state together with the event that describes them, so that the adapter
 * stores both in one transaction.
 */
public record Category(
    UUID id,
    String name,
    String description,
    int sortOrder,
    long version,
    Instant createdAt,
    Instant updatedAt) {

  public Category {
    Objects.requireNonNull(id, "id");
    name = CategoryRules.name(name);
    description = CategoryRules.description(description);
    CategoryRules.sortOrder(sortOrder);
  }

  public static Change create(
      UUID id, String name, String description, int sortOrder, Instant now) {
    Category created = new Category(id, name, description, sortOrder, 0, now, now);
    return new Change(created, new CategoryEvent.Created(UUID.randomUUID(), now, created));
  }

  /** Replaces the editable fields; no event when nothing changes. */
  public Change update(String newName, String newDescription, int newSortOrder, Instant now) {
    Category updated =
        new Category(id, newName, newDescription, newSortOrder, version + 1, createdAt, now);
    if (updated.name.equals(name)
        && updated.description.equals(description)
        && updated.sortOrder == sortOrder) {
      return new Change(this, null);
    }
    return new Change(updated, new CategoryEvent.Updated(UUID.randomUUID(), now, updated, name));
  }

  public CategoryEvent.Deleted delete(Instant now) {
    return new CategoryEvent.Deleted(UUID.randomUUID(), now, this);
  }

  /** The state after a change, and the event to publish (null when nothing changed). */
  public record Change(Category category, CategoryEvent event) {}
}
