package dev.runnel.market.category.domain;

/** What a category's fields may hold; the messages go to the user as they are. */
final class CategoryRules {
  static final int MAX_NAME = 64;
  static final int MAX_DESCRIPTION = 500;

  private CategoryRules() {}

  static String name(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidCategoryException("name", "must not be blank");
    }
    String name = raw.strip();
    if (name.codePointCount(0, name.length()) > MAX_NAME) {
      throw new InvalidCategoryException("name", "must be at most " + MAX_NAME + " characters");
    }
    if (name.codePoints().anyMatch(Character::isISOControl)) {
      throw new InvalidCategoryException("name", "must not contain control characters");
    }
    return name;
  }

  static String description(String raw) {
    String description = raw == null ? "" : raw.strip();
    if (description.codePointCount(0, description.length()) > MAX_DESCRIPTION) {
      throw new InvalidCategoryException(
          "description", "must be at most " + MAX_DESCRIPTION + " characters");
    }
    return description;
  }

  static void sortOrder(int sortOrder) {
    if (sortOrder < 0 || sortOrder > 10_000) {
      throw new InvalidCategoryException("sortOrder", "must be between 0 and 10000");
    }
  }
}
