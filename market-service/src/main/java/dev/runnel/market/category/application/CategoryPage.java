package dev.runnel.market.category.application;

import dev.runnel.market.category.domain.Category;
import java.util.List;

/** A page of categories and the cursor of the next page (null on the last). */
public record CategoryPage(List<Category> items, String nextCursor) {}
