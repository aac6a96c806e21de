package dev.runnel.market.category.application;

import java.util.UUID;

/** What callers ask of the category use cases. */
public final class CategoryCommands {
  private CategoryCommands() {}

  public record Create(String name, String description, int sortOrder, String actor) {}

  public record Update(UUID id, String name, String description, int sortOrder, String actor) {}

  public record Delete(UUID id, String actor) {}
}
